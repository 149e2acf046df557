// What the reviewer decided, read from the card as it is now. A card signal only says "look again":
// a move seen late, or before the card was put back in Review, must not decide anything.
import type { TrelloCard } from '../../../connectors/trello/index.ts';

export type ListRole = 'review' | 'approved' | 'rejected' | 'changes';

export type Decision = { list: 'approved' | 'rejected' | 'changes' };

/** What follows a "Needs changes": the correction, or the reviewer moving on without writing one. */
export type Feedback = { comment: string } | { decision: 'approved' | 'rejected' } | { withdrawn: true };

/** The decision the card's list stands for now; Needs changes counts unless `changesCount` is false. */
export function decisionOf(
  card: Pick<TrelloCard, 'listId'>,
  lists: Record<ListRole, string>,
  changesCount: boolean,
): Decision | undefined {
  if (card.listId === lists.approved) return { list: 'approved' };
  if (card.listId === lists.rejected) return { list: 'rejected' };
  if (card.listId === lists.changes && changesCount) return { list: 'changes' };
  return undefined;
}

/**
 * After Needs changes: a reviewer who changed their mind (card now in Approved or Rejected, or back
 * in Review) is obeyed; otherwise their newest comment written after `since` (ISO time) by someone
 * other than Baton is the correction. Undefined while the card sits in Needs changes uncommented.
 */
export function feedbackOf(
  card: Pick<TrelloCard, 'listId' | 'comments'>,
  lists: Record<ListRole, string>,
  botId: string,
  since: string,
): Feedback | undefined {
  if (card.listId === lists.approved) return { decision: 'approved' };
  if (card.listId === lists.rejected) return { decision: 'rejected' };
  if (card.listId !== lists.changes) return { withdrawn: true };
  const comment = card.comments.find((c) => c.memberCreator.id !== botId && c.date > since)?.text;
  return comment === undefined ? undefined : { comment };
}
