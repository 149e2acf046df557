// Emulates the Notion API (api.notion.com/v1, Notion-Version 2025-09-03) for @notionhq/client 5.x.
import { http } from 'msw';
import type { Clock } from '../../clock.ts';
import { droppedConnection, Emulator, LostResponses, matchRoute, RateWindow } from '../kit/index.ts';
import { codeForStatus, invalidUrl, NotionApiError, notionErrorResponse } from './errors.ts';
import { type FileUploadLimits, type FileUploadRecord, fileUploadRoute } from './file-uploads.ts';
import { newId, normalizeId } from './ids.ts';
import * as person from './person.ts';
import { ROUTES } from './routes.ts';
import type { PropertySpec } from './schema.ts';
import { type Integration, NotionState } from './state.ts';
import type { PlainValue } from './values.ts';

export const NOTION_API = 'https://api.notion.com/v1';
/** The API versions whose data model (databases holding data sources) the emulator speaks. */
export const NOTION_VERSIONS = ['2025-09-03', '2026-03-11'] as const;

export interface NotionEmulatorOptions {
  clock?: Clock;
  /**
   * Requests per integration token in any `windowMs`. Notion documents "an average of three requests
   * per second" with some bursts allowed; the default reads that as 90 per 30 s.
   */
  requestsPerWindow?: number;
  windowMs?: number;
  /** Requests per token in any one second (default 10): how far a burst may go above the average. */
  burstPerSecond?: number;
  /** A free workspace: file uploads up to 5 MiB (otherwise 20 MiB, the single-part limit). */
  freePlan?: boolean;
  /** How long a file upload may stay unattached before it expires (default 1 h, the docs' example). */
  uploadTtlMs?: number;
}

/**
 * A stateful Notion workspace. Integrations (`addIntegration`) call it with `Authorization: Bearer
 * <token>` and `Notion-Version`; databases are visible to the integrations they are shared with.
 * Pages are validated against their data source's schema, children against Notion's limits (100 per
 * array, two nested levels, 1,000 blocks per request, rich text 2,000 characters and 100 elements,
 * URLs 2,000 characters), with Notion's error bodies. Over the rate limit a token gets 429
 * `rate_limited` with `Retry-After` in seconds. People act through `createDatabase`, `editProperty`, …
 */
export class NotionEmulator extends Emulator {
  /** Requests that are carried out but whose answer is lost. */
  readonly lostResponses = new LostResponses();
  readonly #state: NotionState;
  readonly #average: RateWindow;
  readonly #burst: RateWindow;
  readonly #uploads: FileUploadLimits;

  constructor(options: NotionEmulatorOptions = {}) {
    super(options.clock ? { clock: options.clock } : {});
    this.#state = new NotionState(this.clock);
    this.#average = new RateWindow(this.clock, options.requestsPerWindow ?? 90, options.windowMs ?? 30_000);
    this.#burst = new RateWindow(this.clock, options.burstPerSecond ?? 10, 1000);
    this.#uploads = {
      maxBytes: (options.freePlan ? 5 : 20) * 1024 * 1024,
      unattachedTtlMs: options.uploadTtlMs ?? 3_600_000,
    };
  }

  handlers() {
    return [http.all(`${NOTION_API}/*`, ({ request }) => this.serve(request, () => this.#handle(request)))];
  }

  protected errorResponse(status: number, message: string, headers: Record<string, string> = {}): Response {
    const code = codeForStatus(status);
    const extra: Record<string, string> =
      status === 429 && !('Retry-After' in headers) ? { 'Retry-After': '1' } : {};
    const text =
      code === 'rate_limited' ? 'You have been rate limited. Please try again in a few minutes.' : message;
    return notionErrorResponse(status, code, text, { ...extra, ...headers });
  }

  // ---- The person's side: what a user does in the Notion app, and what tests inspect. ----

  /** An internal integration and its token; returns the integration's bot user id. */
  addIntegration(token: string, options: { name?: string; readOnly?: boolean } = {}): string {
    const botId = newId();
    this.#state.integrations.set(token, {
      token,
      botId,
      name: options.name ?? 'Baton',
      readOnly: options.readOnly ?? false,
    });
    return botId;
  }

  /** What deleting the integration or rotating its secret does: the token answers 401 from now on. */
  revokeToken(token: string): void {
    this.#state.integrations.delete(token);
  }

  /**
   * A database with one data source. `sharedWith` lists the integration tokens that may see it
   * (every integration when omitted; `[]` for a database nobody has shared yet).
   */
  createDatabase(input: { title: string; properties: Record<string, PropertySpec>; sharedWith?: string[] }): {
    databaseId: string;
    dataSourceId: string;
  } {
    return this.#state.createDatabase(input);
  }

  /** A second (third, …) data source in a database. */
  addDataSource(
    databaseId: string,
    input: { name: string; properties: Record<string, PropertySpec> },
  ): string {
    return this.#state.addDataSource(normalized(databaseId), input.name, input.properties);
  }

  /** Shares a database with an integration ("Connections → add" in the app). */
  share(databaseId: string, token: string): void {
    const database = this.#state.databases.get(normalized(databaseId));
    if (!database) throw new Error(`Notion emulator: no database ${databaseId}`);
    database.sharedWith?.add(token);
  }

  /** The data source's pages, oldest first (trashed ones only with `includeTrashed`). */
  pages(dataSourceId: string, options: { includeTrashed?: boolean } = {}): person.PageView[] {
    return person.pages(this.#state, normalized(dataSourceId), options.includeTrashed ?? false);
  }

  /** The data source's properties as a person sees them in the app: type, and option names of selects and statuses. */
  properties(dataSourceId: string): Record<string, { type: string; options?: string[] }> {
    const source = this.#state.dataSources.get(normalized(dataSourceId));
    if (!source) throw new Error(`Notion emulator: no data source ${dataSourceId}`);
    return Object.fromEntries(
      source.schema.map((p) => [
        p.name,
        { type: p.type, ...(p.options ? { options: p.options.map((o) => o.name) } : {}) },
      ]),
    );
  }

  /** A page as a person sees it: properties as plain values and its blocks as text (one line per block). */
  page(id: string): person.PageView | undefined {
    return person.page(this.#state, normalized(id));
  }

  /** The page's blocks as a tree of types and texts. */
  blocks(pageId: string): person.BlockView[] {
    return person.blocks(this.#state, normalized(pageId));
  }

  /** A person creates a page in the app; `text` becomes one paragraph per line. Returns its id. */
  addPage(dataSourceId: string, properties: Record<string, PlainValue | Date>, text = ''): string {
    return person.addPage(this.#state, normalized(dataSourceId), properties, text);
  }

  /** A person edits one property of a page in the app. */
  editProperty(pageId: string, name: string, value: PlainValue | Date): void {
    person.editProperty(this.#state, normalized(pageId), name, value);
  }

  /** A file upload as stored (bytes included), with its status as of now. */
  fileUpload(id: string): Omit<FileUploadRecord, 'botId'> | undefined {
    const upload = this.#state.fileUploads.get(normalized(id));
    if (!upload) return undefined;
    const expired = upload.expiresAt !== undefined && this.clock.now() >= upload.expiresAt;
    const { botId: _bot, ...rest } = upload;
    return { ...rest, status: expired ? 'expired' : upload.status };
  }

  /** The page's cover: the file upload behind it, or its external URL. */
  pageCover(pageId: string): { fileUploadId?: string; url?: string } | undefined {
    const cover = this.#state.pages.get(normalized(pageId))?.cover;
    if (!cover) return undefined;
    const external = (cover.rendered.external as { url?: string } | undefined)?.url;
    return cover.fileUploadId
      ? { fileUploadId: cover.fileUploadId }
      : { ...(external ? { url: external } : {}) };
  }

  /** A person moves a page to the trash. */
  trashPage(pageId: string): void {
    person.trashPage(this.#state, normalized(pageId));
  }

  async #handle(request: Request): Promise<Response> {
    try {
      const integration = this.#authenticate(request);
      this.#checkVersion(request);
      this.#throttle(integration.token);
      const url = new URL(request.url);
      const segments = url.pathname
        .replace(/^\/v1\/?/, '')
        .split('/')
        .filter(Boolean);
      // File uploads first: `send` is the one multipart endpoint.
      const upload = await fileUploadRoute(
        this.#state,
        integration,
        request,
        segments,
        this.clock.now(),
        this.#uploads,
      );
      if (upload) {
        if (integration.readOnly && request.method === 'POST') {
          throw new NotionApiError(403, 'restricted_resource', 'Insufficient permissions for this endpoint.');
        }
        const lost = this.lostResponses.take(request.method, url.pathname + url.search);
        if (lost)
          return lost.status ? this.errorResponse(lost.status, 'Internal error.') : droppedConnection();
        return Response.json(upload);
      }
      const found = matchRoute(ROUTES, request.method, segments);
      if (!found) throw invalidUrl();
      if (found.route.write && integration.readOnly) {
        throw new NotionApiError(403, 'restricted_resource', 'Insufficient permissions for this endpoint.');
      }
      const body = await readBody(request);
      const answer = found.route.handle({
        state: this.#state,
        integration,
        args: found.args,
        url,
        body,
        now: this.clock.now(),
      });
      const lost = this.lostResponses.take(request.method, url.pathname + url.search);
      if (lost) return lost.status ? this.errorResponse(lost.status, 'Internal error.') : droppedConnection();
      return Response.json(answer);
    } catch (err) {
      if (err instanceof NotionApiError) return err.toResponse();
      throw err;
    }
  }

  #authenticate(request: Request): Integration {
    const match = /^Bearer (.+)$/i.exec(request.headers.get('authorization') ?? '');
    const integration = match ? this.#state.integrations.get(match[1]!.trim()) : undefined;
    if (!integration) throw new NotionApiError(401, 'unauthorized', 'API token is invalid.');
    return integration;
  }

  #checkVersion(request: Request): void {
    const version = request.headers.get('notion-version');
    if (version === null) {
      throw new NotionApiError(
        400,
        'missing_version',
        'Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.',
      );
    }
    if (!(NOTION_VERSIONS as readonly string[]).includes(version)) {
      throw new NotionApiError(
        400,
        'validation_error',
        `Notion-Version header failed validation: Notion-Version header should be one of \`${NOTION_VERSIONS.join('`, `')}\`, instead was \`${version}\`.`,
      );
    }
  }

  /** @throws 429 rate_limited with Retry-After (whole seconds) when the token's burst or average is spent. */
  #throttle(token: string): void {
    const waitMs = Math.max(this.#burst.retryAfterMs(token), this.#average.retryAfterMs(token));
    if (waitMs > 0) {
      throw new NotionApiError(
        429,
        'rate_limited',
        'You have been rate limited. Please try again in a few minutes.',
        {
          'Retry-After': String(Math.max(1, Math.ceil(waitMs / 1000))),
        },
      );
    }
    this.#burst.take(token);
    this.#average.take(token);
  }
}

function normalized(id: string): string {
  const normal = normalizeId(id);
  if (!normal) throw new Error(`Notion emulator: '${id}' is not a Notion id`);
  return normal;
}

/** The JSON body of a POST or PATCH (`{}` when there is none). @throws 400 invalid_json when it does not parse. */
async function readBody(request: Request): Promise<Record<string, unknown>> {
  if (request.method === 'GET' || request.method === 'DELETE') return {};
  const text = await request.text();
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new NotionApiError(400, 'invalid_json', 'Error parsing JSON body.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new NotionApiError(400, 'invalid_json', 'Error parsing JSON body.');
  }
  return parsed as Record<string, unknown>;
}
