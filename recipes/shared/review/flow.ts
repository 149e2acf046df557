// The review every outgoing email goes through, whatever recipe wrote it: a Gmail draft and a Trello
// card; the reviewer drags the card to Approved (send the card's text), Rejected (delete the draft) or
// Needs changes plus a comment (the recipe rewrites it). A card move only wakes the run: the decision
// is the card's list when Baton looks.
import type { DraftRef, GmailClient, SentRef } from '../../../connectors/gmail/index.ts';
import { WrongRecipientError } from '../../../connectors/gmail/index.ts';
import { createdAt, type TrelloClient } from '../../../connectors/trello/index.ts';
import { errorMessage } from '../../../src/engine/errors.ts';
import type { RecipeContext, StepContext } from '../../../src/engine/index.ts';
import { DoNotContactError, SendingPausedError, type SendRequest, type SendRules } from '../sending/index.ts';
import { type CardEmail, emailFromCard, reviewCardDescription } from './card.ts';
import { type Decision, decisionOf, type Feedback, feedbackOf, type ListRole } from './decision.ts';

/** The services a review needs; the same objects for every recipe of a process. */
export interface ReviewServices {
  gmail: GmailClient;
  trello: TrelloClient;
  /** The board's list ids by role (cached; a missing list is a clear, non-retriable error). */
  lists(): Promise<Record<ListRole, string>>;
  /** Best-effort heads-up (Slack) when a card needs a closer look. */
  alert?(text: string): Promise<void>;
  /** The process's sending manners (daily cap, do-not-contact), checked inside the send step. */
  sendRules: SendRules;
  /**
   * The recipe's own last check, inside the send step right before the sending manners (e.g. the
   * sequence's stops: a reply while the card waited). What it throws fails or pauses the send.
   */
  beforeSend?(request: SendRequest): Promise<void>;
}

export interface ReviewSettings {
  /** The board's list names by role (TRELLO_REVIEW_LIST, …), for comments. */
  lists: Record<ListRole, string>;
  /** How long a card may wait for a decision (REVIEW_TIMEOUT, or a recipe's own). */
  timeout: string;
  /** "Needs changes" rewrites; after the last one only Approved or Rejected count. */
  maxRevisions: number;
}

/** Where the review stands, for the recipe to show where its user looks (a Status cell or field). */
export type ReviewProgress =
  | { kind: 'in-review' }
  | { kind: 'revising' }
  | { kind: 'not-sent' }
  /** The address asked not to be contacted: nothing was sent and the draft was deleted; the review is over. */
  | { kind: 'do-not-contact'; address: string }
  | { kind: 'sent'; at: Date; sent: SentRef }
  | { kind: 'rejected' }
  | { kind: 'expired' };

export interface ReviewRequest {
  /** The drafted email (created by the recipe with its step's idempotency key). */
  draft: DraftRef;
  /** The only address the email may go to. */
  to: string;
  /** The text in the draft now. */
  email: CardEmail;
  card: {
    title: string;
    /** Trello labels flagging what needs a closer look ('Audit failed', 'Low confidence'). */
    labels: string[];
    /** A comment explaining the labels (posted when there are labels). */
    flagsComment?: string;
    /** The Slack text sent when there are labels; the card's URL is appended. */
    alert?: string;
  };
  /** The rewrite after Needs changes: from the card as the reviewer left it and their comment. */
  revise(step: StepContext, onCard: CardEmail, comment: string): Promise<CardEmail>;
  /** Shows the review's progress to the user (a Status cell); runs inside its own step. */
  progress(update: ReviewProgress): Promise<unknown>;
  /** The last sentence of the expiry comment: how to start over. */
  startOver: string;
  /** Prefixes every step id, so one run can hold several reviews (an outreach, then a follow-up). */
  stepPrefix?: string;
}

export type ReviewOutcome =
  | { outcome: 'sent'; at: Date; sent: SentRef; email: CardEmail; cardId: string }
  | { outcome: 'rejected'; cardId: string }
  | { outcome: 'expired'; cardId: string }
  /** Approved, but the address asked not to be contacted (`reason` says where that was found). */
  | { outcome: 'not-sent'; reason: string; cardId: string };

/**
 * Puts the draft on the review board and follows the reviewer's decisions to the end: sent,
 * rejected, or expired. Every side effect is a step (exactly once across crashes and replays); the
 * email is only ever sent to `request.to`, with the subject and text the card holds when approved.
 */
export async function reviewAndSend(
  ctx: RecipeContext,
  services: ReviewServices,
  settings: ReviewSettings,
  request: ReviewRequest,
): Promise<ReviewOutcome> {
  const { gmail, trello } = services;
  const { draft } = request;
  const id = (name: string) => `${request.stepPrefix ?? ''}${name}`;
  const progress = (name: string, update: ReviewProgress) =>
    ctx.step(id(name), () => request.progress(update));

  const card = await ctx.step(
    id('create-card'),
    async ({ idempotencyKey, runCreatedAt, runResumed, firstTry }) => {
      const lists = await services.lists();
      return trello.createCard({
        listId: lists.review,
        name: request.card.title,
        desc: reviewCardDescription(request.email, draft.link, ctx.runId),
        labels: request.card.labels,
        idempotencyKey,
        noEarlierTry: await firstTry(),
        // The duplicate check reads only cards made since the run began, not the whole board; a run
        // created again after a lost data folder looks where its first life's card waits instead.
        ...(runResumed ? {} : { createdAfter: runCreatedAt }),
      });
    },
  );
  if (request.card.labels.length > 0) {
    if (request.card.flagsComment) {
      const text = request.card.flagsComment;
      await ctx.step(id('explain-flags'), ({ idempotencyKey }) =>
        trello.commentOnCard(card.cardId, text, { idempotencyKey }),
      );
    }
    const alert = request.card.alert ?? `${request.card.title} needs a closer look`;
    await ctx.step(id('alert'), () =>
      services.alert?.(`${alert} (${request.card.labels.join(', ')}): ${card.url}`),
    );
  }
  await progress('status-in-review', { kind: 'in-review' });

  const bot = await ctx.step(id('who-am-i'), () => trello.whoAmI());
  const inReviewSince = await ctx.now();
  const cardKey = `trello:card:${card.cardId}`;
  const cardNow = () => trello.getCard(card.cardId);
  let current: CardEmail = request.email;
  // Comments count from when the card (re)entered Review: one written before the drag is the correction.
  let commentsSince = createdAt(card.cardId).toISOString();
  let revisions = 0;
  let rewritesOver = false;
  let sends = 0;
  /** An approved email held back by the day's cap says so on its card, once (the comment's key is the send's). */
  const sayItWaits = async (step: StepContext, paused: SendingPausedError) => {
    try {
      await trello.commentOnCard(
        card.cardId,
        `Approved, and waiting: ${paused.message}. It is sent then, with nothing for you to do.`,
        { idempotencyKey: `${step.idempotencyKey}:waits` },
      );
    } catch (err) {
      // The wait matters more than the note about it: it is tried again when the send is.
      step.annotate({ waitCommentFailed: errorMessage(err) });
    }
  };
  const expire = async (): Promise<ReviewOutcome> => {
    await ctx.step(id('comment-expired'), ({ idempotencyKey }) =>
      trello.commentOnCard(
        card.cardId,
        `No decision within ${settings.timeout} (in review since ${inReviewSince.toISOString()}): nothing was sent and the draft was deleted. ${request.startOver}`,
        { idempotencyKey },
      ),
    );
    await ctx.step(id('delete-draft-expired'), () => gmail.deleteDraft(draft.draftId));
    // Archived, so a late move cannot look like an approval that nobody acts on.
    await ctx.step(id('archive-card-expired'), () => trello.updateCard(card.cardId, { closed: true }));
    await progress('status-expired', { kind: 'expired' });
    return { outcome: 'expired', cardId: card.cardId };
  };

  for (let round = 1; ; round++) {
    const changesCount = !rewritesOver;
    let decision = await ctx.waitFor<Decision>(id(`decision-${round}`), {
      key: cardKey,
      timeout: settings.timeout,
      check: async () => decisionOf(await cardNow(), await services.lists(), changesCount),
      accept: () => undefined,
    });
    if (decision === null) return expire();

    if (decision.list === 'changes') {
      if (revisions >= settings.maxRevisions) {
        // Only the human moves on from here; Needs changes no longer counts (see decisionOf).
        await ctx.step(id('comment-no-more-rewrites'), ({ idempotencyKey }) =>
          trello.commentOnCard(
            card.cardId,
            `This email was rewritten ${revisions} times, the most Baton makes: no more rewrites. Edit the card yourself and move it to Approved or Rejected.`,
            { idempotencyKey },
          ),
        );
        rewritesOver = true;
        continue;
      }
      await progress(`status-revising-${round}`, { kind: 'revising' });
      // The reviewer may drag first and comment a moment later, or change their mind instead.
      const since = commentsSince;
      const feedback = asFeedback(
        await ctx.waitFor<Feedback | string>(id(`feedback-${round}`), {
          key: cardKey,
          timeout: settings.timeout,
          check: async () => feedbackOf(await cardNow(), await services.lists(), bot.id, since),
          accept: () => undefined,
        }),
      );
      if (feedback === null) return expire();
      if ('withdrawn' in feedback) {
        await progress(`status-in-review-${round}`, { kind: 'in-review' });
        continue;
      }
      if ('decision' in feedback) {
        decision = { list: feedback.decision };
      } else {
        revisions++;
        current = await ctx.step(id(`revise-${round}`), async (s) => {
          // From the card as the reviewer left it: their own edits are kept, not the model's last text.
          const onCard = emailFromCard((await cardNow()).desc, current.subject);
          const revised = await request.revise(s, onCard, feedback.comment);
          return { subject: revised.subject, body: revised.body };
        });
        await ctx.step(id(`update-draft-${round}`), () =>
          gmail.updateDraft(draft.draftId, { to: request.to, subject: current.subject, text: current.body }),
        );
        const backInReview = await ctx.step(id(`update-card-${round}`), async () => {
          const lists = await services.lists();
          const at = new Date().toISOString();
          // A drag made while the rewrite ran was a decision on text the reviewer no longer sees.
          const movedMeanwhile = decisionOf(await cardNow(), lists, false)?.list;
          await trello.updateCard(card.cardId, {
            desc: reviewCardDescription(current, draft.link, ctx.runId),
            listId: lists.review,
          });
          return { at, ...(movedMeanwhile ? { movedMeanwhile } : {}) };
        });
        if (backInReview?.movedMeanwhile) {
          const movedTo = settings.lists[backInReview.movedMeanwhile];
          await ctx.step(id(`comment-rewritten-${round}`), ({ idempotencyKey }) =>
            trello.commentOnCard(
              card.cardId,
              `This card was moved to ${movedTo} while Baton was rewriting it. The rewrite is now on the card, back in Review: read it, then move it again.`,
              { idempotencyKey },
            ),
          );
        }
        await progress(`status-in-review-${round}`, { kind: 'in-review' });
        // Runs from before `update-card` returned its time recorded it with a `now` here instead.
        commentsSince = backInReview?.at ?? (await ctx.now()).toISOString();
        continue;
      }
    }

    if (decision.list === 'rejected') {
      await ctx.step(id('delete-draft'), () => gmail.deleteDraft(draft.draftId));
      await progress('status-rejected', { kind: 'rejected' });
      return { outcome: 'rejected', cardId: card.cardId };
    }

    // Approved: the card is what the human approved; its subject and text are what we send.
    sends++;
    const once = (name: string) => id(sends === 1 ? name : `${name}-${sends}`);
    const approved = await ctx.step(once('read-approved-card'), async () =>
      emailFromCard((await cardNow()).desc, current.subject),
    );
    // Only ever to the recipient: a draft readdressed in Gmail is refused, and the reviewer is told.
    // The sending manners run here, inside the step: a person's approval skips SEND_WINDOW, but a
    // full day (GMAIL_DAILY_LIMIT) waits for tomorrow and a do-not-contact address is never written to.
    const sent = await ctx.step(once('send'), async (step) => {
      const send = { to: request.to, recipe: ctx.recipe, key: step.idempotencyKey, unattended: false };
      try {
        await services.beforeSend?.(send);
        return await services.sendRules.send(send, () =>
          gmail.sendDraft(draft, { to: request.to, subject: approved.subject, text: approved.body }),
        );
      } catch (err) {
        if (err instanceof WrongRecipientError) return { refused: err.message, hint: err.hint ?? '' };
        if (err instanceof DoNotContactError) return { blocked: err.message };
        if (err instanceof SendingPausedError) await sayItWaits(step, err);
        throw err;
      }
    });
    if ('blocked' in sent) {
      const reason = sent.blocked ?? `${request.to} asked not to be contacted`;
      await ctx.step(once('comment-do-not-contact'), ({ idempotencyKey }) =>
        trello.commentOnCard(
          card.cardId,
          `Not sent: ${reason}. The draft was deleted; Baton will not write to this address.`,
          { idempotencyKey },
        ),
      );
      await ctx.step(once('delete-draft-do-not-contact'), () => gmail.deleteDraft(draft.draftId));
      await ctx.step(once('status-do-not-contact'), () =>
        request.progress({ kind: 'do-not-contact', address: request.to }),
      );
      return { outcome: 'not-sent', reason, cardId: card.cardId };
    }
    if ('refused' in sent) {
      await ctx.step(once('comment-not-sent'), ({ idempotencyKey }) =>
        trello.commentOnCard(
          card.cardId,
          `Not sent: ${sent.refused}. ${sent.hint} Then move this card to Approved again.`,
          { idempotencyKey },
        ),
      );
      await ctx.step(once('card-back-to-review'), async () => {
        await trello.updateCard(card.cardId, { listId: (await services.lists()).review });
      });
      await ctx.step(once('status-not-sent'), () => request.progress({ kind: 'not-sent' }));
      continue;
    }
    const at = await ctx.now();
    const to = sent.recipients?.join(', ') || request.to;
    await ctx.step(once('comment-sent'), ({ idempotencyKey }) =>
      trello.commentOnCard(card.cardId, `Sent ${at.toISOString()} to ${to}`, { idempotencyKey }),
    );
    await ctx.step(once('status-sent'), () => request.progress({ kind: 'sent', at, sent }));
    return { outcome: 'sent', at, sent, email: approved, cardId: card.cardId };
  }
}

/** Runs that recorded their feedback before it could be a change of mind recorded the comment alone. */
function asFeedback(recorded: Feedback | string | null): Feedback | null {
  return typeof recorded === 'string' ? { comment: recorded } : recorded;
}
