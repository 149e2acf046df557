// Trello's answers on the wire: plain-text errors, the odd JSON error, and request parameters.
import { HttpResponse, type JsonBodyType } from 'msw';

export const json = (body: JsonBodyType, status = 200): Response => HttpResponse.json(body, { status });

/** Trello answers most errors with a short plain-text body. */
export const text = (status: number, body: string, headers: Record<string, string> = {}): Response =>
  new HttpResponse(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers } });

export const invalidId = (): Response => text(400, 'invalid id');
export const invalidValue = (name: string): Response => text(400, `invalid value for ${name}`);
export const notFound = (): Response => text(404, 'The requested resource was not found.');
/** What Trello answers when an id inside a parameter (e.g. idLabels) is not an object id. */
export const invalidObjectId = (): Response => json({ message: 'Invalid objectId', error: 'ERROR' }, 400);

export const rateLimited = (limit: 'token' | 'key', headers: Record<string, string> = {}): Response =>
  HttpResponse.json(
    {
      error: limit === 'token' ? 'API_TOKEN_LIMIT_EXCEEDED' : 'API_KEY_LIMIT_EXCEEDED',
      message: 'Rate limit exceeded',
    },
    { status: 429, headers },
  );

/**
 * A request's parameters. Trello reads them from the query string or the body (JSON or form);
 * trello.js sends everything in the query string.
 */
/** A file part of a multipart body (an attachment upload). */
export interface UploadedFile {
  filename: string;
  type: string;
  bytes: Uint8Array;
}

export class Params {
  constructor(
    private readonly values: Map<string, string>,
    private readonly files: Map<string, UploadedFile> = new Map(),
  ) {}

  static async from(request: Request): Promise<Params> {
    const url = new URL(request.url);
    const values = new Map(url.searchParams);
    if ((request.headers.get('content-type') ?? '').includes('multipart/form-data')) {
      return Params.#multipart(request, values);
    }
    const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    if (body.trim()) {
      const type = request.headers.get('content-type') ?? '';
      if (type.includes('json')) {
        try {
          const parsed: unknown = JSON.parse(body);
          if (parsed && typeof parsed === 'object') {
            for (const [k, v] of Object.entries(parsed)) {
              if (v !== null && v !== undefined) values.set(k, Array.isArray(v) ? v.join(',') : String(v));
            }
          }
        } catch {
          throw text(400, 'Invalid JSON');
        }
      } else {
        for (const [k, v] of new URLSearchParams(body)) values.set(k, v);
      }
    }
    return new Params(values);
  }

  static async #multipart(request: Request, values: Map<string, string>): Promise<Params> {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw text(400, 'Invalid multipart body');
    }
    const files = new Map<string, UploadedFile>();
    for (const [name, value] of form) {
      if (typeof value === 'string') values.set(name, value);
      else
        files.set(name, {
          filename: value.name,
          type: value.type,
          bytes: new Uint8Array(await value.arrayBuffer()),
        });
    }
    return new Params(values, files);
  }

  /** A file part of a multipart body. */
  file(name: string): UploadedFile | undefined {
    return this.files.get(name);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** `true`/`false`; anything else is a 400 `invalid value for <name>`. */
  bool(name: string): boolean | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    if (value === 'true') return true;
    if (value === 'false') return false;
    throw invalidValue(name);
  }

  /** A comma-separated list; an empty string is an empty list. */
  list(name: string): string[] | undefined {
    const value = this.values.get(name);
    if (value === undefined) return undefined;
    return value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  }
}
