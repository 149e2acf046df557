// The parts of Drive's answers the connector relies on, checked with zod.
import { z } from 'zod';
import { ServiceError } from '../core/index.ts';
import type { DriveFile } from './types.ts';

/** The file fields Baton asks for. */
export const FILE_FIELDS =
  'id,name,mimeType,createdTime,modifiedTime,size,md5Checksum,parents,trashed,appProperties';

export const FileSchema = z.object({
  id: z.string(),
  name: z.string(),
  mimeType: z.string(),
  createdTime: z.string(),
  modifiedTime: z.string().optional(),
  size: z.string().optional(),
  md5Checksum: z.string().optional(),
  parents: z.array(z.string()).default([]),
  trashed: z.boolean().default(false),
  appProperties: z.record(z.string(), z.string()).default({}),
});

export const FileListSchema = z.object({
  nextPageToken: z.string().optional(),
  files: z.array(FileSchema).default([]),
});

export function toDriveFile(raw: z.infer<typeof FileSchema>): DriveFile {
  return {
    id: raw.id,
    name: raw.name,
    mimeType: raw.mimeType,
    createdTime: new Date(raw.createdTime).toISOString(),
    modifiedTime: raw.modifiedTime,
    size: raw.size === undefined ? undefined : Number(raw.size),
    md5Checksum: raw.md5Checksum,
    parents: raw.parents,
    trashed: raw.trashed,
    appProperties: raw.appProperties,
  };
}

/** @throws ServiceError (not retryable) when Drive answered something unexpected. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, operation: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ServiceError('drive', `Google Drive answered ${operation} in an unexpected shape`, {
    hint: z.prettifyError(result.error).replace(/\n+/g, '; ').slice(0, 300),
  });
}
