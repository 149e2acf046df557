// The lead's Notion dossier for the writer: found from the record's link, read as text before each
// email. A page that is gone, not shared or unreadable is left out (and logged), never fatal.
import { ServiceError } from '../../connectors/core/index.ts';
import type { NotionClient } from '../../connectors/notion/index.ts';
import type { Logger } from '../../src/log.ts';
import { SEQUENCE_FIELDS as F } from './status.ts';

/** Dossier text given to the writer at most (the rest of a long page is left out). */
export const DOSSIER_CHARS = 4000;
const NOTION_PAGE = /^https:\/\/(?:www\.)?notion\.(?:so|site)\/\S+$/;

/** The link to the lead's Notion dossier: the leads recipe's `Research` cell, else any cell holding a Notion page link. */
export function dossierLink(fields: Record<string, unknown>): string | undefined {
  const cells = [fields[F.dossier], ...Object.values(fields)];
  const link = cells.find((v) => typeof v === 'string' && NOTION_PAGE.test(v.trim()));
  return typeof link === 'string' ? link.trim() : undefined;
}

/** The dossier page's text, or undefined (no link, no NOTION_TOKEN, or a page Baton cannot read). */
export async function readDossier(
  notion: NotionClient | undefined,
  link: string | undefined,
  log: Logger,
): Promise<string | undefined> {
  if (!link || !notion) return undefined;
  try {
    return (await notion.pageText(link, { maxChars: DOSSIER_CHARS })) || undefined;
  } catch (err) {
    if (!(err instanceof ServiceError)) throw err;
    log.warn(
      { link, error: err.message },
      'the Notion dossier cannot be read: the email is written without it',
    );
    return undefined;
  }
}
