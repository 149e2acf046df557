// Streaming a download to disk under a size cap, with the bytes counted and hashed on the way.
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { ServiceError } from '../core/index.ts';

/** A download over its size cap: not retried. */
export class FileTooLargeError extends ServiceError {
  override readonly name = 'FileTooLargeError';
}

export function tooLarge(name: string, size: number, maxBytes: number, setting?: string): FileTooLargeError {
  return new FileTooLargeError(
    'drive',
    `Drive file '${name}' is ${mb(size)}, over the ${mb(maxBytes)} Baton downloads`,
    { hint: raise(setting) },
  );
}

const raise = (setting: string | undefined): string =>
  `raise ${setting ?? 'the download limit (maxBytes)'} or use a smaller file`;

const mb = (bytes: number): string =>
  bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${bytes} bytes`;

/** A pass-through that counts and hashes bytes and fails once more than `maxBytes` went by. */
export function capped(maxBytes: number, name: string, setting?: string) {
  let count = 0;
  const hash = createHash('md5');
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      count += chunk.length;
      if (count > maxBytes) {
        callback(
          new FileTooLargeError('drive', `Drive file '${name}' is over the ${mb(maxBytes)} Baton downloads`, {
            hint: raise(setting),
          }),
        );
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  return { stream, bytes: () => count, md5: () => hash.digest('hex') };
}

/** A file name safe to use on disk: no path separators or control characters, at most 120 characters. */
export function safeName(name: string): string {
  const cleaned = [...name]
    .map((c) => (c.charCodeAt(0) < 32 || '/\\:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .replace(/^\.+/, '_')
    .slice(-120);
  return cleaned || 'file';
}
