// Trello-shaped identifiers: Mongo-style 24-hex object ids (time first) and 8-character short links.
import { randomBytes, randomInt } from 'node:crypto';

const OBJECT_ID = /^[0-9a-f]{24}$/i;
const SHORT_LINK = /^[0-9A-Za-z]{8}$/;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Issues object ids like Trello's (Mongo ObjectIds): 4 bytes of seconds, 5 bytes fixed per emulator,
 * a 3-byte counter. Ids from one factory sort in creation order even when the clock stands still,
 * which is what makes `since=<actionId>` paging work.
 */
export class ObjectIds {
  readonly #machine = randomBytes(5).toString('hex');
  #lastSeconds = 0;
  #counter = 0;

  next(nowMs: number): string {
    const seconds = Math.max(Math.floor(nowMs / 1000), this.#lastSeconds);
    this.#lastSeconds = seconds;
    this.#counter = (this.#counter + 1) % 0x1000000;
    return (
      seconds.toString(16).padStart(8, '0') + this.#machine + this.#counter.toString(16).padStart(6, '0')
    );
  }
}

export const isObjectId = (value: string): boolean => OBJECT_ID.test(value);
export const isShortLink = (value: string): boolean => SHORT_LINK.test(value);

/** Milliseconds since the epoch embedded in an object id. */
export const objectIdTime = (id: string): number => Number.parseInt(id.slice(0, 8), 16) * 1000;

/** Compares two object ids by creation order (negative when `a` is older). */
export function compareIds(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export function shortLink(): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** The readable tail of a Trello URL: `Review pitch: ACME` → `review-pitch-acme`. */
export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'card'
  );
}
