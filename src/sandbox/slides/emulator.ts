// Emulates Google Slides v1 (slides.googleapis.com) for @googleapis/slides: presentations.get and batchUpdate.
import { http } from 'msw';
import type { Clock } from '../../clock.ts';
import { applyFields, parseFields } from '../drive/fields.ts';
import type { DriveEmulator } from '../drive/index.ts';
import type { GoogleAuthEmulator, GooglePrincipal } from '../google/auth.ts';
import { Emulator, RateWindow } from '../kit/index.ts';
import { applyBatch } from './batch-update.ts';
import { copyDeck, type Deck, newDeck, renderDeck } from './deck.ts';
import {
  GoogleApiError,
  googleErrorResponse,
  insufficientScopes,
  invalidArgument,
  notAPresentation,
  notFound,
  quotaExceeded,
  unauthenticated,
} from './errors.ts';

export const SLIDES_API = 'https://slides.googleapis.com';
export const PRESENTATION_MIME = 'application/vnd.google-apps.presentation';

const AUTH = 'https://www.googleapis.com/auth/';
/** presentations.get's scopes, and batchUpdate's (Slides API reference, "Authorization scopes"). */
const READ_SCOPES = ['drive', 'drive.file', 'drive.readonly', 'presentations', 'presentations.readonly'].map(
  (s) => AUTH + s,
);
const WRITE_SCOPES = ['drive', 'drive.file', 'presentations'].map((s) => AUTH + s);
/** Slides' own scopes that reach every presentation the user can see (drive.file reaches only the app's). */
const SLIDES_WIDE = {
  read: [`${AUTH}presentations`, `${AUTH}presentations.readonly`],
  write: [`${AUTH}presentations`],
};

export interface SlidesEmulatorOptions {
  auth: GoogleAuthEmulator;
  /** Where the presentations live as files: sharing, names (titles) and copies come from Drive. */
  drive: DriveEmulator;
  clock?: Clock;
  /** Per user per minute, as Google documents (defaults 600 reads, 60 writes). */
  readsPerMinute?: number;
  writesPerMinute?: number;
}

/**
 * A stateful Slides: a presentation is a Drive file of type application/vnd.google-apps.presentation
 * whose slides hold text boxes. The title is the Drive file's name, sharing is Drive's, and a Drive
 * files.copy of a presentation copies its slides. Serves presentations.get and presentations.batchUpdate
 * (replaceAllText only; any other request kind is a 400, an unknown one in Google's words), with
 * Bearer tokens, scopes (a drive.file token opens only presentations made through the API) and the
 * per-user read and write quotas.
 */
export class SlidesEmulator extends Emulator {
  readonly auth: GoogleAuthEmulator;
  readonly drive: DriveEmulator;
  readonly #decks = new Map<string, Deck>();
  readonly #reads: RateWindow;
  readonly #writes: RateWindow;

  constructor(options: SlidesEmulatorOptions) {
    super(options.clock ? { clock: options.clock } : {});
    this.auth = options.auth;
    this.drive = options.drive;
    this.#reads = new RateWindow(this.clock, options.readsPerMinute ?? 600, 60_000);
    this.#writes = new RateWindow(this.clock, options.writesPerMinute ?? 60, 60_000);
    this.drive.onCopy((from, to) => {
      const deck = this.#decks.get(from);
      if (deck) this.#decks.set(to, copyDeck(deck));
    });
  }

  handlers() {
    return [
      http.all(`${SLIDES_API}/v1/*`, ({ request }) => this.serve(request, () => this.#handle(request))),
    ];
  }

  protected errorResponse(status: number, message: string, headers?: Record<string, string>): Response {
    return googleErrorResponse(status, message, undefined, headers);
  }

  // ---- The person's side. ----

  /**
   * A presentation a person made in Google Slides (in `parentId` or the owner's My Drive; private to
   * the owner unless `sharedWith` says who else may open it). `slides` holds each slide's text boxes.
   * Returns its id.
   */
  createPresentation(input: {
    title: string;
    slides: readonly (readonly string[])[];
    parentId?: string;
    owner?: string;
    sharedWith?: string[];
  }): string {
    const { title, slides, ...where } = input;
    const id = this.drive.createGoogleFile(title, PRESENTATION_MIME, where);
    this.#decks.set(id, newDeck(slides));
    return id;
  }

  /** The text of each slide's text boxes (each ending in a newline), or undefined for no such deck. */
  text(presentationId: string): string[][] | undefined {
    return this.#decks.get(presentationId)?.slides.map((s) => s.shapes.map((shape) => shape.text));
  }

  async #handle(request: Request): Promise<Response> {
    try {
      const principal = this.auth.verify(request);
      if (!principal) throw unauthenticated(request.headers.has('authorization'));
      const url = new URL(request.url);
      const get = /^\/v1\/presentations\/([^/:]+)$/.exec(url.pathname);
      const batch = /^\/v1\/presentations\/([^/:]+):batchUpdate$/.exec(url.pathname);
      if (request.method === 'GET' && get) {
        this.#check(principal, READ_SCOPES, this.#reads, 'Read');
        const id = decodeURIComponent(get[1]!);
        const { deck, title } = this.#open(principal, id, SLIDES_WIDE.read);
        return Response.json(selectFields(renderDeck(id, title, deck), url.searchParams.get('fields')));
      }
      if (request.method === 'POST' && batch) {
        this.#check(principal, WRITE_SCOPES, this.#writes, 'Write');
        const id = decodeURIComponent(batch[1]!);
        const { deck } = this.#open(principal, id, SLIDES_WIDE.write);
        const result = applyBatch(deck, await readJson(request));
        this.#decks.set(id, result.deck);
        if (result.deck.revisionId !== deck.revisionId) this.drive.touch(id);
        return Response.json({
          presentationId: id,
          replies: result.replies,
          writeControl: { requiredRevisionId: result.deck.revisionId },
        });
      }
      return googleErrorResponse(404, 'Not Found');
    } catch (err) {
      if (err instanceof GoogleApiError)
        return googleErrorResponse(err.code, err.message, err.details, err.headers);
      throw err;
    }
  }

  #check(principal: GooglePrincipal, allowed: string[], quota: RateWindow, kind: 'Read' | 'Write'): void {
    if (principal.scopes.length > 0 && !principal.scopes.some((s) => allowed.includes(s)))
      throw insufficientScopes();
    if (!quota.take(principal.email)) throw quotaExceeded(kind);
  }

  /** The deck behind `id` if the token may open it. @throws 404 as Slides does for unknown and unshared alike. */
  #open(principal: GooglePrincipal, id: string, wide: string[]): { deck: Deck; title: string } {
    const file = this.drive.openFor(principal, id, wide);
    if (!file) throw notFound();
    const deck = this.#decks.get(id);
    if (file.mimeType !== PRESENTATION_MIME || !deck) throw notAPresentation();
    return { deck, title: file.name };
  }
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  try {
    return JSON.parse(text || '{}');
  } catch {
    throw invalidArgument('', 'Invalid JSON payload received.');
  }
}

/** A partial response for a `fields` mask (`presentationId,title,slides(objectId)`), parsed as Drive's. */
function selectFields(resource: Record<string, unknown>, fields: string | null): Record<string, unknown> {
  if (!fields) return resource;
  try {
    return applyFields(resource, parseFields(fields), {});
  } catch {
    throw invalidArgument('fields', `Invalid field selection ${fields}`);
  }
}
