// Run ids derived from the work item, so the same item always maps to the same run (and the same
// idempotency keys) even after the data folder is lost.
import { createHash } from 'node:crypto';

/** `pitch-3f9a…`: recipe name plus 20 base32 characters of sha256(recipe, item key). */
export function runIdFor(recipe: string, itemKey: string): string {
  const digest = createHash('sha256').update(`${recipe}\u0000${itemKey}`).digest();
  return `${recipe}-${base32(digest).slice(0, 20)}`;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
