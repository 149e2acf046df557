// Notion ids: UUIDs answered with dashes, accepted with or without them.
import { randomUUID } from 'node:crypto';

/** A new object id in the dashed form Notion answers with. */
export const newId = (): string => randomUUID();

/** The dashed, lower-case form of an id given with or without dashes; undefined when it is not a UUID. */
export function normalizeId(raw: string): string | undefined {
  const hex = raw.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A short property id like the ones Notion gives schema properties (the title's is always `title`). */
export function newPropertyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 4; i++) id += alphabet[Math.floor(Math.random() * alphabet.length)];
  return id;
}

/** The page's address in the Notion app: a slug of its title, then its id without dashes. */
export function pageUrl(id: string, title: string): string {
  const slug = title
    .trim()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  const compact = id.replace(/-/g, '');
  return `https://www.notion.so/${slug ? `${slug}-` : ''}${compact}`;
}
