// The review of text that is not one draft to one person (a newsletter issue going to everyone): a
// Trello card with the full text, then the reviewer's decision — Approved (the card's text, as the
// reviewer left it), Rejected, or Needs changes plus a comment (the recipe rewrites it and the card
// goes back to Review). Sending is the recipe's business. reviewAndSend keeps its own loop: runs in
// flight replay it by step id.
import { createdAt } from '../../../connectors/trello/index.ts';
import type { RecipeContext, StepContext } from '../../../src/engine/index.ts';
import { type CardEmail, draftlessCardDescription, emailFromCard } from './card.ts';
import { type Decision, decisionOf, type Feedback, feedbackOf } from './decision.ts';
import type { ReviewServices, ReviewSettings } from './flow.ts';

export interface CardReviewRequest {
  title: string;
  email: CardEmail;
  /** Trello labels flagging what needs a closer look ('Audit failed'). */
  labels: string[];
  /** A comment explaining the labels (posted when there are labels). */
  flagsComment?: string;
  /** The card's last line after the run id: what approving it does. */
  note: string;
  /** The rewrite after Needs changes: from the card as the reviewer left it and their comment. */
  revise(step: StepContext, onCard: CardEmail, comment: string): Promise<CardEmail>;
  /** The last sentence of the expiry comment: what happens next. */
  startOver: string;
}

export type CardReviewOutcome =
  | { outcome: 'approved'; email: CardEmail; cardId: string; url: string }
  | { outcome: 'rejected'; cardId: string; url: string }
  | { outcome: 'expired'; cardId: string; url: string };

/**
 * Puts `request.email` on the review board and follows the reviewer to a decision. Every side effect
 * is a step (exactly once across crashes and replays). Step ids: `create-card`, `decision-N`, …
 */
export async function reviewOnCard(
  ctx: RecipeContext,
  services: Pick<ReviewServices, 'trello' | 'lists' | 'alert'>,
  settings: ReviewSettings,
  request: CardReviewRequest,
): Promise<CardReviewOutcome> {
  const { trello } = services;
  const card = await ctx.step('create-card', async ({ idempotencyKey, firstTry }) => {
    const lists = await services.lists();
    return trello.createCard({
      listId: lists.review,
      name: request.title,
      desc: draftlessCardDescription(request.email, ctx.runId, request.note),
      labels: request.labels,
      idempotencyKey,
      noEarlierTry: await firstTry(),
    });
  });
  const comment = (id: string, text: string) =>
    ctx.step(id, ({ idempotencyKey }) => trello.commentOnCard(card.cardId, text, { idempotencyKey }));
  if (request.labels.length > 0) {
    if (request.flagsComment) await comment('explain-flags', request.flagsComment);
    await ctx.step('alert', () =>
      services.alert?.(`${request.title} needs a closer look (${request.labels.join(', ')}): ${card.url}`),
    );
  }
  const bot = await ctx.step('who-am-i', () => trello.whoAmI());
  const cardKey = `trello:card:${card.cardId}`;
  const cardNow = () => trello.getCard(card.cardId);
  let current = request.email;
  // Comments count from the card's creation: one written before the drag is the correction.
  let commentsSince = createdAt(card.cardId).toISOString();
  let revisions = 0;
  let rewritesOver = false;
  const ended = { cardId: card.cardId, url: card.url };
  const expire = async (): Promise<CardReviewOutcome> => {
    await comment(
      'comment-expired',
      `No decision within ${settings.timeout}: nothing was sent. ${request.startOver}`,
    );
    await ctx.step('archive-card-expired', () => trello.updateCard(card.cardId, { closed: true }));
    return { outcome: 'expired', ...ended };
  };

  for (let round = 1; ; round++) {
    const changesCount = !rewritesOver;
    let decision = await ctx.waitFor<Decision>(`decision-${round}`, {
      key: cardKey,
      timeout: settings.timeout,
      check: async () => decisionOf(await cardNow(), await services.lists(), changesCount),
      accept: () => undefined,
    });
    if (decision === null) return expire();

    if (decision.list === 'changes') {
      if (revisions >= settings.maxRevisions) {
        await comment(
          `comment-no-more-rewrites-${round}`,
          `This text was rewritten ${revisions} times, the most Baton makes: no more rewrites. Edit the card yourself and move it to Approved or Rejected.`,
        );
        rewritesOver = true;
        continue;
      }
      const since = commentsSince;
      const feedback = await ctx.waitFor<Feedback>(`feedback-${round}`, {
        key: cardKey,
        timeout: settings.timeout,
        check: async () => feedbackOf(await cardNow(), await services.lists(), bot.id, since),
        accept: () => undefined,
      });
      if (feedback === null) return expire();
      if ('withdrawn' in feedback) continue;
      if ('decision' in feedback) {
        decision = { list: feedback.decision };
      } else {
        revisions++;
        current = await ctx.step(`revise-${round}`, async (s) => {
          // From the card as the reviewer left it: their own edits are kept.
          const onCard = emailFromCard((await cardNow()).desc, current.subject);
          const revised = await request.revise(s, onCard, feedback.comment);
          return { subject: revised.subject, body: revised.body };
        });
        const at = await ctx.step(`update-card-${round}`, async () => {
          const lists = await services.lists();
          const now = new Date().toISOString();
          await trello.updateCard(card.cardId, {
            desc: draftlessCardDescription(current, ctx.runId, request.note),
            listId: lists.review,
          });
          return now;
        });
        commentsSince = at;
        continue;
      }
    }

    if (decision.list === 'rejected') {
      await comment('comment-rejected', 'Rejected: nothing is sent.');
      return { outcome: 'rejected', ...ended };
    }
    // Approved: what the card says now is what goes out.
    const approved = await ctx.step('read-approved-card', async () =>
      emailFromCard((await cardNow()).desc, current.subject),
    );
    return { outcome: 'approved', email: approved, ...ended };
  }
}
