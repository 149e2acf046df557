// SlidesClient: the one gate to Google Slides (rate budgets, retries, clear errors): read a deck, replace text.
import { slides, type slides_v1 } from '@googleapis/slides';
import { ServiceError, ServicePolicy } from '../core/index.ts';
import { classifySlides, describeSlides, type SlidesFailureContext } from './failures.ts';
import { BatchUpdateSchema, PRESENTATION_FIELDS, PresentationSchema, parse, textBoxes } from './schemas.ts';
import type { Presentation, SlidesClientOptions } from './types.ts';

const short = (id: string): string => (id.length > 10 ? `${id.slice(0, 6)}…` : id);

/** One replaceAllText: every `find` (exact case) becomes `replace`. */
export interface Replacement {
  find: string;
  replace: string;
}

/**
 * Google Slides through @googleapis/slides with one ServicePolicy ('slides': `read` and `write`
 * budgets, retries with backoff on 429, 5xx and dropped connections, circuit breaker). gaxios's own
 * retries are off. Methods throw AuthError (401/403, with the fix), NotFoundError (a presentation
 * that is not there or not shared), ServicePausedError while the breaker is open, ServiceError otherwise.
 */
export class SlidesClient {
  readonly policy: ServicePolicy;
  readonly #api: slides_v1.Slides;

  constructor(options: SlidesClientOptions) {
    this.#api = slides({
      version: 'v1',
      auth: options.auth,
      retry: false,
      ...(options.rootUrl ? { rootUrl: options.rootUrl } : {}),
    });
    this.policy = new ServicePolicy({
      service: 'slides',
      limits: {
        read: options.limits?.read ?? { limit: 5, intervalMs: 1000 },
        write: options.limits?.write ?? { limit: 1, intervalMs: 1000 },
      },
      classify: classifySlides,
      describe: (err) => new Undescribed('slides', 'undescribed', { cause: err }),
      ...options.policy,
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** A presentation's title and the text of its text boxes. @throws NotFoundError when not there or not shared. */
  presentation(presentationId: string): Promise<Presentation> {
    const where = {
      operation: `read presentation ${short(presentationId)}`,
      target: `Slides presentation ${short(presentationId)}`,
    };
    return this.#call(where, 'read', async () => {
      const res = await this.#api.presentations.get({ presentationId, fields: PRESENTATION_FIELDS });
      const deck = parse(PresentationSchema, res.data, 'presentations.get');
      return { id: deck.presentationId, title: deck.title, textBoxes: textBoxes(deck) };
    });
  }

  /**
   * Replaces text across the whole presentation in one atomic batchUpdate, in order; returns how many
   * occurrences each replacement changed. Retried after a failure: that is harmless when no `replace`
   * contains a `find` (makeDeck guarantees it), since a second pass then changes nothing.
   */
  replaceAllText(presentationId: string, replacements: readonly Replacement[]): Promise<number[]> {
    const where = {
      operation: `fill presentation ${short(presentationId)}`,
      target: `Slides presentation ${short(presentationId)}`,
    };
    if (replacements.length === 0) return Promise.resolve([]);
    return this.#call(where, 'write', async () => {
      const res = await this.#api.presentations.batchUpdate({
        presentationId,
        requestBody: {
          requests: replacements.map((r) => ({
            replaceAllText: { containsText: { text: r.find, matchCase: true }, replaceText: r.replace },
          })),
        },
      });
      const body = parse(BatchUpdateSchema, res.data, 'presentations.batchUpdate');
      return body.replies.map((r) => r.replaceAllText?.occurrencesChanged ?? 0);
    });
  }

  async #call<T>(where: SlidesFailureContext, budget: 'read' | 'write', fn: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.call(where.operation, fn, budget);
    } catch (err) {
      if (!(err instanceof Undescribed)) throw err;
      throw describeSlides(err.cause, where);
    }
  }
}

/** A final SDK failure on its way out of the policy, described by `#call`, which knows what was asked. */
class Undescribed extends ServiceError {
  override readonly name = 'Undescribed';
}
