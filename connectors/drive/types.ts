// The Drive connector's public shapes: options, files as Baton sees them, inputs and results.
import type { OAuth2Client } from 'google-auth-library';
import type { Logger } from '../../src/log.ts';
import type { RateLimit, ServicePolicyOptions } from '../core/index.ts';

export interface DriveClientOptions {
  /** From `createGoogleAuth(credentials, [GOOGLE_SCOPES.drive])` (add DRIVE_FILE_SCOPE to upload). */
  auth: OAuth2Client;
  /** Request budgets (defaults: 10 reads and 3 writes per second, far under Drive's per-user quota). */
  limits?: { read?: RateLimit; write?: RateLimit };
  /** Retry and breaker tuning (tests pass small delays). */
  policy?: Partial<
    Pick<ServicePolicyOptions, 'maxAttempts' | 'initialDelayMs' | 'maxDelayMs' | 'breakAfter' | 'pauseMs'>
  >;
  /** Setting names to mention when a folder is wrong (e.g. CONTENT_DRIVE_FOLDER). */
  configHints?: { folder?: string };
  /** The account to share folders with, named in errors; a service account's own email by default. */
  shareWith?: string;
  /** Another origin for the API (a local sandbox server); Google's by default. */
  rootUrl?: string;
  log?: Logger;
}

/** A file's metadata as Baton reads it. */
export interface DriveFile {
  id: string;
  name: string;
  mimeType: string;
  /** RFC 3339, millisecond precision, UTC. */
  createdTime: string;
  modifiedTime: string | undefined;
  /** Bytes; undefined for folders and Google Docs. */
  size: number | undefined;
  md5Checksum: string | undefined;
  parents: string[];
  trashed: boolean;
  appProperties: Record<string, string>;
}

export interface DownloadedFile {
  /** Where the content was written (a new temporary folder unless `dir` was given). */
  path: string;
  bytes: number;
  name: string;
  mimeType: string;
}

export interface UploadInput {
  folderId: string;
  name: string;
  mimeType: string;
  /** A file on disk (streamed), or the content itself. */
  path?: string;
  bytes?: Buffer | string;
  /**
   * Stored in the file's appProperties; an upload with a key already in the folder returns that file,
   * and a retry after a lost answer finds it instead of uploading twice.
   */
  idempotencyKey?: string;
  description?: string;
}

export interface CopyInput {
  /** The file to copy. */
  fileId: string;
  /** The copy's name. */
  name: string;
  /** Where the copy goes; beside the original (in the folders the account sees) by default. */
  folderId?: string;
  /**
   * Stored in the copy's appProperties (Drive allows 124 bytes for key and value together); a copy
   * with this key already made is returned instead, and a retry after a lost answer finds it.
   */
  idempotencyKey?: string;
  appProperties?: Record<string, string>;
}
