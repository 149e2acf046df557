// People who write in (PATHWAY_GMAIL_QUERY): each new matching Gmail message becomes one Contacts
// record, once per message even across crashes. The trigger hands each message id over as an item
// (keyed by the id: one run per message); the run looks the id up in the table's `Gmail Message`
// field before creating, and creates by upsert on that field, so a lost answer or a lost data folder
// never makes a second record.
import type { AirtableClient, TableRef } from '../../connectors/airtable/index.ts';
import { formula } from '../../connectors/airtable/index.ts';
import { NotFoundError } from '../../connectors/core/index.ts';
import type { GmailClient, MailMessage } from '../../connectors/gmail/index.ts';
import type { Logger } from '../../src/log.ts';
import type { PollContext, PollResult, Trigger } from '../../src/triggers/index.ts';
import { PATHWAY_FIELDS } from './schema.ts';

/** A message to turn into a Contacts record. */
export interface InboundItem {
  kind: 'gmail';
  messageId: string;
}

/** Message ids kept in the cursor so a poll does not hand the same message over again. */
const SEEN_KEPT = 2000;
const DAY_MS = 86_400_000;

interface InboundCursor {
  /** Messages received before this moment (epoch ms) are not new: the first enable leaves the inbox alone. */
  enabledAt: number;
  seen: string[];
}

export interface InboundOptions {
  query: string;
  table: TableRef;
  intervalMs?: number;
  log: Logger;
}

/**
 * Polls `messages.list q=<query> after:<first enable>` (one request when idle). Without a cursor
 * (a first start, or a lost data folder) the first enable is taken from the table: the arrival of the
 * oldest message a record was made from, so mail that came in while Baton was down is still picked
 * up and older mail still left alone; on a true first start, now.
 */
export function gmailInbound(
  gmail: GmailClient,
  airtable: AirtableClient,
  options: InboundOptions,
): Trigger<InboundItem> {
  return {
    id: `gmail:inbound:${options.query}`,
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    get paused() {
      return gmail.paused;
    },
    async poll(ctx: PollContext): Promise<PollResult<InboundItem>> {
      let cursor = await ctx.cursor.get<InboundCursor>();
      if (!cursor) {
        const enabledAt = await firstEnable(gmail, airtable, options.table);
        cursor = { enabledAt: enabledAt ?? ctx.now(), seen: [] };
        options.log.info(
          { enabledAt: new Date(cursor.enabledAt).toISOString() },
          enabledAt === undefined
            ? 'Gmail inbound first enabled: mail received before now is left alone'
            : 'Gmail inbound has no cursor (data folder lost?): mail since the first imported message is looked at again',
        );
        await ctx.cursor.set(cursor);
      }
      const after = Math.floor(cursor.enabledAt / 1000);
      // Gmail's OR binds tighter than the implied AND: `a OR b after:N` is `(a OR b) after:N`.
      const found = await gmail.searchMessages(`${options.query} after:${after}`);
      const seen = new Set(cursor.seen);
      const fresh = found.filter((m) => !seen.has(m.id));
      if (fresh.length > 0) {
        await ctx.cursor.set({
          enabledAt: cursor.enabledAt,
          seen: [...cursor.seen, ...fresh.map((m) => m.id)].slice(-SEEN_KEPT),
        });
      }
      // Oldest first: records appear in the table in the order the mail came in.
      return {
        items: fresh
          .reverse()
          .map((m) => ({ key: `gmail:message:${m.id}`, payload: { kind: 'gmail', messageId: m.id } })),
      };
    },
  };
}

/**
 * When the inbound was first enabled, as far as the table tells (after a lost data folder): the
 * arrival of the oldest message a record was made from — every matching message after the first
 * enable became a record, so nothing older matched then. Undefined when no record came from Gmail.
 */
async function firstEnable(
  gmail: GmailClient,
  airtable: AirtableClient,
  table: TableRef,
): Promise<number | undefined> {
  const imported = await airtable.listAll(table, {
    filterByFormula: `${formula.field(PATHWAY_FIELDS.gmailMessage)} != ''`,
    fields: [PATHWAY_FIELDS.gmailMessage],
  });
  const oldest = imported.sort((a, b) => a.createdTime.localeCompare(b.createdTime)).slice(0, 5);
  if (oldest.length === 0) return undefined;
  const dates: number[] = [];
  for (const record of oldest) {
    try {
      dates.push((await gmail.getMessage(String(record.fields[PATHWAY_FIELDS.gmailMessage]))).date);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      // The message was deleted since: its record's creation bounds its arrival.
      dates.push(Date.parse(record.createdTime) - DAY_MS);
    }
  }
  return Math.min(...dates);
}

/** The Contacts record for a message: found by its `Gmail Message` id, else created (by upsert on it). */
export async function contactFromMessage(
  airtable: AirtableClient,
  table: TableRef,
  message: Pick<MailMessage, 'id' | 'from' | 'subject' | 'text'>,
): Promise<{ recordId: string; created: boolean }> {
  const existing = await airtable.listAll(table, {
    filterByFormula: `${formula.field(PATHWAY_FIELDS.gmailMessage)} = ${formula.text(message.id)}`,
    fields: [PATHWAY_FIELDS.gmailMessage],
  });
  if (existing[0]) return { recordId: existing[0].id, created: false };
  const body = [message.subject, message.text.trim()].filter(Boolean).join('\n\n');
  const result = await airtable.upsert(
    table,
    [
      {
        [PATHWAY_FIELDS.name]: message.from.name || message.from.address.split('@')[0],
        [PATHWAY_FIELDS.email]: message.from.address,
        [PATHWAY_FIELDS.message]: body.slice(0, 10_000),
        [PATHWAY_FIELDS.source]: 'email',
        [PATHWAY_FIELDS.gmailMessage]: message.id,
      },
    ],
    { mergeOn: [PATHWAY_FIELDS.gmailMessage], typecast: true },
  );
  const record = result.records[0];
  if (!record) throw new Error(`Airtable returned no record for Gmail message ${message.id}`);
  return { recordId: record.id, created: result.created.includes(record.id) };
}
