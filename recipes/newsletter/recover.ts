// After a lost data folder the schedule's cursor is gone, and with it the memory of an issue still
// waiting for its review or half sent. Its Trello card remembers: the card names the occurrence it
// is for, so the first poll of a fresh data folder starts that occurrence's run again under the same
// key (so the same run id and the same per-recipient keys: nobody is emailed twice, the rest are).
import type { TrelloClient } from '../../connectors/trello/index.ts';
import { type ScheduleTrigger, scheduleItemKey } from '../../src/triggers/index.ts';

/** On the card, after the run id: which occurrence the issue is for. */
export const occurrenceNote = (scheduledFor: string) => `issue of ${scheduledFor}`;
const OCCURRENCE = /issue of (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)/;
/** The run's last comment on a card whose issue went out. */
export const SENT_COMMENT = 'Sent to ';

/**
 * The occurrences of issues whose cards are open in Review, Needs changes or Approved and do not say
 * they were sent: a few reads of the board (its newsletter cards only).
 */
export async function issuesInFlight(
  trello: TrelloClient,
  boardId: string,
  listNames: readonly string[],
  /** Occurrences before this (epoch ms) are history: their cards are archived or long decided. */
  notBefore: number,
): Promise<string[]> {
  const found = new Set<string>();
  for (const list of listNames) {
    for (const card of await trello.hiddenCards(boardId, list)) {
      const occurrence = card.name.startsWith('Newsletter ') ? OCCURRENCE.exec(card.desc)?.[1] : undefined;
      if (!occurrence || found.has(occurrence) || Date.parse(occurrence) < notBefore) continue;
      const now = await trello.getCard(card.id);
      if (now.closed || now.comments.some((c) => c.text.startsWith(SENT_COMMENT))) continue;
      found.add(occurrence);
    }
  }
  return [...found];
}

/** `trigger`, whose first poll on a fresh cursor also hands back the issues `inFlight` finds. */
export function resumingAfterLoss(
  trigger: ScheduleTrigger,
  inFlight: () => Promise<string[]>,
): ScheduleTrigger {
  return {
    ...trigger,
    async poll(ctx) {
      // Looked up before the schedule's first poll sets its cursor: a failed look is tried again.
      const fresh = (await ctx.cursor.get()) === undefined;
      const resumed = fresh ? await inFlight() : [];
      const result = await trigger.poll(ctx);
      if (resumed.length === 0) return result;
      ctx.log.info({ occurrences: resumed }, 'newsletter issues in flight found on the review board');
      // Claimed: the run's first life may have made its card and sent emails already (runResumed).
      const items = resumed.map((scheduledFor) => ({
        key: scheduleItemKey(trigger.id, scheduledFor),
        payload: { scheduledFor },
        claimed: true,
      }));
      return { ...result, items: [...(result.items ?? []), ...items] };
    },
  };
}
