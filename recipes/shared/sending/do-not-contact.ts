// `<dataDir>/do-not-contact.json`: addresses that asked not to be written to, kept beside the runs.
// Appended by `addDoNotContact` (an unsubscribe reply); a person may edit it too, so it is read at
// every check and plain strings are accepted as entries.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { BatonError } from '../../../src/engine/index.ts';

export const DO_NOT_CONTACT_FILE = 'do-not-contact.json';

const Entry = z.union([
  z.string().transform((address) => ({ address, why: '', at: '' })),
  z.object({ address: z.string(), why: z.string().default(''), at: z.string().default('') }),
]);
const FileSchema = z.object({ version: z.literal(1).default(1), addresses: z.array(Entry) });
export type DoNotContactEntry = { address: string; why: string; at: string };

/** Addresses compare without case or surrounding spaces. */
export function normalAddress(address: string): string {
  return address.trim().toLowerCase();
}

export function doNotContactFile(dataDir: string): string {
  return join(resolve(dataDir), DO_NOT_CONTACT_FILE);
}

/** @throws BatonError when the file is not a list Baton can read (never sends past a list it cannot read) */
export function readDoNotContact(dataDir: string): DoNotContactEntry[] {
  const file = doNotContactFile(dataDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = FileSchema.safeParse(json);
  if (!parsed.success) {
    throw new BatonError(`${file} is not a do-not-contact list Baton can read, so nothing is sent`, {
      hint: 'fix it to { "version": 1, "addresses": ["someone@example.com", …] }',
    });
  }
  return parsed.data.addresses;
}

/** The entry for `address`, if it is on the list. */
export function findDoNotContact(dataDir: string, address: string): DoNotContactEntry | undefined {
  const wanted = normalAddress(address);
  return readDoNotContact(dataDir).find((e) => normalAddress(e.address) === wanted);
}

/** Puts `address` on the list (once), saying why and when. */
export function addDoNotContact(dataDir: string, address: string, why: string, at: Date): void {
  const entries = readDoNotContact(dataDir);
  if (entries.some((e) => normalAddress(e.address) === normalAddress(address))) return;
  entries.push({ address: normalAddress(address), why, at: at.toISOString() });
  const file = doNotContactFile(dataDir);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileAtomic.sync(file, `${JSON.stringify({ version: 1, addresses: entries }, null, 2)}\n`);
}
