// Airtable-shaped identifiers: a three-letter prefix (app, tbl, fld, viw, rec, itr, sel) and 14 characters.
import { randomInt } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export type IdPrefix = 'app' | 'tbl' | 'fld' | 'viw' | 'rec' | 'itr' | 'sel';

/** A fresh id such as `recA1b2C3d4E5f6G7`. */
export function newId(prefix: IdPrefix): string {
  let out = prefix;
  for (let i = 0; i < 14; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** True when `value` has the shape of an id with this prefix. */
export function isId(prefix: IdPrefix, value: string): boolean {
  return new RegExp(`^${prefix}[0-9A-Za-z]{14}$`).test(value);
}
