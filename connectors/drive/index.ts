// Google Drive connector: the client (limits, retries, capped downloads, keyed uploads) and the newFiles trigger.
export { DriveClient, FOLDER_MIME, KEY_PROPERTY } from './client.ts';
export { FileTooLargeError } from './download.ts';
export { ChecksumMismatch, classifyDrive, describeDrive } from './failures.ts';

import { GOOGLE_SCOPES } from '../google/index.ts';

export { driveFileKey, type NewFilesOptions, newFiles } from './new-files.ts';
export { and, inFolder, mimeTypeClause, quote } from './query.ts';
export type { CopyInput, DownloadedFile, DriveClientOptions, DriveFile, UploadInput } from './types.ts';

/** The scope an upload needs on top of GOOGLE_SCOPES.drive (read-only): files Baton creates. */
export const DRIVE_FILE_SCOPE = GOOGLE_SCOPES.driveFile;
