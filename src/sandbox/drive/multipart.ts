// Reads a `multipart/related` upload body: the JSON metadata part and the media part.
import { badRequest } from './errors.ts';

export interface UploadParts {
  metadata: Record<string, unknown>;
  media: Buffer;
  mediaType: string | undefined;
}

const CRLF_CRLF = Buffer.from('\r\n\r\n');

/**
 * Splits a multipart/related body into its metadata and media parts.
 * @throws 400 badRequest when the content type has no boundary or the body does not hold two parts.
 */
export function parseMultipart(contentType: string, body: Buffer): UploadParts {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw badRequest('Missing multipart boundary.');
  const delimiter = Buffer.from(`--${boundary}`);
  const between = Buffer.from(`\r\n--${boundary}`);
  const parts: { headers: string; content: Buffer }[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw badRequest('Malformed multipart body.');
  pos += delimiter.length;
  while (body.subarray(pos, pos + 2).toString() !== '--') {
    if (body[pos] === 13 && body[pos + 1] === 10) pos += 2;
    const headerEnd = body.indexOf(CRLF_CRLF, pos);
    if (headerEnd < 0) throw badRequest('Malformed multipart body.');
    const start = headerEnd + CRLF_CRLF.length;
    const end = body.indexOf(between, start);
    if (end < 0) throw badRequest('Malformed multipart body.');
    parts.push({
      headers: body.subarray(pos, headerEnd).toString('utf8'),
      content: body.subarray(start, end),
    });
    pos = end + between.length;
  }
  const [meta, media] = parts;
  if (!meta || !media || parts.length !== 2)
    throw badRequest('A multipart upload has one metadata part and one media part.');
  let metadata: unknown;
  try {
    metadata = JSON.parse(meta.content.toString('utf8') || '{}');
  } catch {
    throw badRequest('Invalid JSON in the metadata part.');
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    throw badRequest('Invalid metadata.');
  const mediaType = /content-type:\s*([^\r\n;]+)/i.exec(media.headers)?.[1]?.trim();
  return { metadata: metadata as Record<string, unknown>, media: Buffer.from(media.content), mediaType };
}
