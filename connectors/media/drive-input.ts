// Videos arriving in a Drive folder: which to take, when (upload finished), and the download to disk.
import { mkdir } from 'node:fs/promises';
import type { Trigger } from '../../src/triggers/index.ts';
import { type DownloadedFile, type DriveClient, type DriveFile, newFiles } from '../drive/index.ts';
import { isAcceptedMedia } from './formats.ts';

/** CONTENT_MAX_VIDEO_MB's default: 2 GB, about an hour of phone video. */
export const DEFAULT_MAX_VIDEO_MB = 2048;

export interface MediaFilesOptions {
  /** CONTENT_DRIVE_FOLDER_ID. */
  folderId: string;
  intervalMs?: number;
  /** 'now' (default): videos already in the folder are not work. */
  startFrom?: 'now' | 'all';
}

/**
 * One item per new mp4, mov, webm, m4a or mp3 file in the folder (others skipped with a debug line),
 * taken only once its size is the same in two polls in a row, so a video still uploading from a
 * phone is left alone until it is complete. Keyed `drive:file:<id>`, the file's metadata as payload.
 */
export function newMediaFiles(drive: DriveClient, options: MediaFilesOptions): Trigger<DriveFile> {
  return newFiles(drive, {
    folderId: options.folderId,
    accept: isAcceptedMedia,
    waitForStableSize: true,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.startFrom ? { startFrom: options.startFrom } : {}),
  });
}

export interface DownloadMediaOptions {
  /** A folder inside the data folder (made if missing); the file lands there as `<id>-<name>`. */
  dir: string;
  /** CONTENT_MAX_VIDEO_MB (default 2048; 1 MB = 1,000,000 bytes). */
  maxMb?: number;
}

/**
 * Streams a Drive file to `dir`, never holding it in memory, refusing it before or during the
 * transfer once it is over `maxMb` (no partial file is left). Delete `path` when the run no longer
 * needs it. @throws FileTooLargeError telling the user to raise CONTENT_MAX_VIDEO_MB; the Drive
 * client's errors otherwise.
 */
export async function downloadMedia(
  drive: DriveClient,
  fileId: string,
  options: DownloadMediaOptions,
): Promise<DownloadedFile> {
  const maxMb = options.maxMb ?? DEFAULT_MAX_VIDEO_MB;
  await mkdir(options.dir, { recursive: true });
  return drive.download(fileId, {
    maxBytes: maxMb * 1_000_000,
    dir: options.dir,
    limitSetting: `CONTENT_MAX_VIDEO_MB (now ${maxMb})`,
  });
}
