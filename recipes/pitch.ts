// Pitch: a new lead in the sheet → a personal pitch, checked by an auditor → a Gmail draft and a
// Trello review card → a human approves (drag to Approved), rejects, or asks for changes → send.
import { z } from 'zod';
import { type GmailClient, WrongRecipientError } from '../connectors/gmail/index.ts';
import { type SheetRowRef, type SheetsClient, setRowStatus } from '../connectors/sheets/index.ts';
import { createdAt, type TrelloClient } from '../connectors/trello/index.ts';
import { defineRecipe, type Recipe, type RecipeContext, type StepContext } from '../src/engine/index.ts';
import type { Llm, LlmPrompt } from '../src/llm/index.ts';
import type { Trigger } from '../src/triggers/index.ts';
import { type Lead, LeadColumns, toLead } from './pitch/lead.ts';
import {
  Audit,
  auditPrompt,
  Pitch,
  type PitchBrief,
  revisionPrompt,
  writePitchPrompt,
} from './pitch/prompts.ts';
import {
  type CardEmail,
  emailFromCard,
  reviewCardDescription,
  reviewCardTitle,
} from './pitch/review-card.ts';
import {
  type Decision,
  decisionOf,
  type Feedback,
  feedbackOf,
  type ListRole,
} from './pitch/review-decision.ts';

export type { ListRole } from './pitch/review-decision.ts';

/** The Status words a user sees in the sheet, in the order a lead goes through them. */
export const STATUS = {
  queued: 'Queued',
  drafted: 'Drafted',
  inReview: 'In review',
  revising: 'Revising',
  sent: (when: Date) => `Sent ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  rejected: 'Rejected',
  notSent: 'Not sent: the Gmail draft is addressed to someone else (see the card)',
  expired: 'Expired',
  failed: (runId: string) => `Error: see \`baton show ${runId}\``,
} as const;

/** Statuses of rows whose run is in flight: after a lost data folder these runs are picked up again. */
export const IN_FLIGHT = [STATUS.queued, STATUS.drafted, STATUS.inReview, STATUS.revising, STATUS.notSent];

export interface PitchServices {
  sheets: SheetsClient;
  gmail: GmailClient;
  trello: TrelloClient;
  llm: Llm;
  /** The auditor's model (AUDITOR_MODEL), ideally not the writer's; `llm` audits when absent. */
  auditor?: Llm;
  /** Resolves the board's list ids by role (cached; a missing list is a clear, non-retriable error). */
  lists(): Promise<Record<ListRole, string>>;
  /** Best-effort heads-up (Slack) when a pitch needs a closer look. */
  alert?(text: string): Promise<void>;
  triggers: { leads: Trigger; reviews: Trigger };
}

export interface PitchSettings extends PitchBrief {
  /** The review board's list names by role (TRELLO_REVIEW_LIST, …). */
  lists: Record<ListRole, string>;
  minConfidence: number;
  approvalTimeout: string;
  /** Rewrites the auditor may ask for before the pitch goes to review marked `Audit failed`. */
  maxRewrites?: number;
  /**
   * "Needs changes" rewrites; after the last one the card stays where the reviewer put it, a
   * comment says so, and only Approved or Rejected count.
   */
  maxRevisions?: number;
}

/** A claimed sheet row: where it is (to write Status back) and the lead in it. */
const PitchInput = z
  .object({
    rowKey: z.string(),
    rowNumber: z.number(),
    token: z.string().optional(),
    sheet: z.object({
      spreadsheetId: z.string(),
      tab: z.string(),
      statusColumn: z.string(),
      runColumn: z.string(),
      keyColumn: z.string().optional(),
    }),
    values: LeadColumns,
  })
  .transform((row) => ({
    row: { rowKey: row.rowKey, rowNumber: row.rowNumber, token: row.token ?? '', sheet: row.sheet },
    lead: toLead(row.values),
  }));
type PitchInput = z.output<typeof PitchInput>;

export function pitchRecipe(services: PitchServices, settings: PitchSettings): Recipe<PitchInput, string> {
  const { sheets, gmail, trello, llm } = services;
  const status = (row: SheetRowRef, text: string, extra?: Record<string, string>) =>
    setRowStatus(sheets, row, text, extra);
  /** One model call inside a step; its tokens and estimated cost go into the run's journal. */
  const ask = async <S extends z.ZodType>(
    step: StepContext,
    schema: S,
    prompt: LlmPrompt,
    name: string,
    model: Llm = llm,
  ) => {
    const result = await model.object(schema, prompt, { name });
    step.annotate({ usage: result.usage });
    return result.value;
  };

  return defineRecipe({
    name: 'pitch',
    triggers: [services.triggers.leads, services.triggers.reviews],
    input: PitchInput,
    concurrency: 4,
    async run({ row, lead }, ctx) {
      // 1. Write the pitch, and let the auditor check it against the guidelines and the row's facts.
      const { pitch, audit } = await writeAndAudit(ctx, lead);

      // 2. Draft it in Gmail, addressed to the lead and no one else.
      const draft = await ctx.step('create-draft', ({ idempotencyKey }) =>
        gmail.createDraft({ to: lead.email, subject: pitch.subject, text: pitch.body, idempotencyKey }),
      );
      if (draft.status === 'sent') {
        // Sent by an earlier run whose records were lost (data folder deleted): never send twice.
        await ctx.step('status-sent-earlier', () => status(row, 'Sent', { Draft: draft.link }));
        return 'sent earlier';
      }
      await ctx.step('status-drafted', () => status(row, STATUS.drafted, { Draft: draft.link }));

      // 3. Put it on the review board; flag what needs a closer look.
      const labels = [
        ...(audit.verdict === 'FAIL' ? ['Audit failed'] : []),
        ...(pitch.confidence < settings.minConfidence ? ['Low confidence'] : []),
      ];
      const card = await ctx.step('create-card', async ({ idempotencyKey }) => {
        const lists = await services.lists();
        return trello.createCard({
          listId: lists.review,
          name: reviewCardTitle(lead),
          desc: reviewCardDescription(pitch, draft.link, ctx.runId),
          labels,
          idempotencyKey,
        });
      });
      if (labels.length > 0) {
        await ctx.step('explain-flags', ({ idempotencyKey }) =>
          trello.commentOnCard(card.cardId, flagsComment(pitch, audit, settings.minConfidence), {
            idempotencyKey,
          }),
        );
        await ctx.step('alert', () =>
          services.alert?.(`Pitch for ${lead.name} needs a closer look (${labels.join(', ')}): ${card.url}`),
        );
      }
      await ctx.step('status-in-review', () => status(row, STATUS.inReview));

      // 4. Wait for the reviewer: Approved sends, Rejected discards, Needs changes rewrites. A card
      //    move only wakes the run: the decision is the card's list when Baton looks.
      const bot = await ctx.step('who-am-i', () => trello.whoAmI());
      const inReviewSince = await ctx.now();
      const cardKey = `trello:card:${card.cardId}`;
      const maxRevisions = settings.maxRevisions ?? 5;
      const cardNow = () => trello.getCard(card.cardId);
      let current: CardEmail = { subject: pitch.subject, body: pitch.body };
      // Comments count from when the card (re)entered Review: one written before the drag is the correction.
      let commentsSince = createdAt(card.cardId).toISOString();
      let revisions = 0;
      let rewritesOver = false;
      let sends = 0;
      const expire = async () => {
        await ctx.step('comment-expired', ({ idempotencyKey }) =>
          trello.commentOnCard(
            card.cardId,
            `No decision within ${settings.approvalTimeout} (in review since ${inReviewSince.toISOString()}): nothing was sent and the draft was deleted. To pitch this lead again, clear its Status in the sheet.`,
            { idempotencyKey },
          ),
        );
        await ctx.step('delete-draft-expired', () => gmail.deleteDraft(draft.draftId));
        // Archived, so a late move cannot look like an approval that nobody acts on.
        await ctx.step('archive-card-expired', () => trello.updateCard(card.cardId, { closed: true }));
        await ctx.step('status-expired', () => status(row, STATUS.expired));
        return 'expired';
      };

      for (let round = 1; ; round++) {
        const changesCount = !rewritesOver;
        let decision = await ctx.waitFor<Decision>(`decision-${round}`, {
          key: cardKey,
          timeout: settings.approvalTimeout,
          check: async () => decisionOf(await cardNow(), await services.lists(), changesCount),
          accept: () => undefined,
        });
        if (decision === null) return expire();

        if (decision.list === 'changes') {
          if (revisions >= maxRevisions) {
            // Only the human moves on from here; Needs changes no longer counts (see decisionOf).
            await ctx.step('comment-no-more-rewrites', ({ idempotencyKey }) =>
              trello.commentOnCard(
                card.cardId,
                `This pitch was rewritten ${revisions} times, the most Baton makes: no more rewrites. Edit the card yourself and move it to Approved or Rejected.`,
                { idempotencyKey },
              ),
            );
            rewritesOver = true;
            continue;
          }
          await ctx.step(`status-revising-${round}`, () => status(row, STATUS.revising));
          // The reviewer may drag first and comment a moment later, or change their mind instead.
          const since = commentsSince;
          const feedback = asFeedback(
            await ctx.waitFor<Feedback | string>(`feedback-${round}`, {
              key: cardKey,
              timeout: settings.approvalTimeout,
              check: async () => feedbackOf(await cardNow(), await services.lists(), bot.id, since),
              accept: () => undefined,
            }),
          );
          if (feedback === null) return expire();
          if ('withdrawn' in feedback) {
            await ctx.step(`status-in-review-${round}`, () => status(row, STATUS.inReview));
            continue;
          }
          if ('decision' in feedback) {
            decision = { list: feedback.decision };
          } else {
            revisions++;
            current = await ctx.step(`revise-${round}`, async (s) => {
              // From the card as the reviewer left it: their own edits are kept, not the model's last text.
              const onCard = emailFromCard((await cardNow()).desc, current.subject);
              const revised = await ask(
                s,
                Pitch,
                revisionPrompt(lead, settings, onCard, feedback.comment),
                'pitch',
              );
              return { subject: revised.subject, body: revised.body };
            });
            await ctx.step(`update-draft-${round}`, () =>
              gmail.updateDraft(draft.draftId, {
                to: lead.email,
                subject: current.subject,
                text: current.body,
              }),
            );
            const backInReview = await ctx.step(`update-card-${round}`, async () => {
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
              await ctx.step(`comment-rewritten-${round}`, ({ idempotencyKey }) =>
                trello.commentOnCard(
                  card.cardId,
                  `This card was moved to ${settings.lists[backInReview.movedMeanwhile!]} while Baton was rewriting it. The rewrite is now on the card, back in Review: read it, then move it again.`,
                  { idempotencyKey },
                ),
              );
            }
            await ctx.step(`status-in-review-${round}`, () => status(row, STATUS.inReview));
            // Runs from before `update-card` returned its time recorded it with a `now` here instead.
            commentsSince = backInReview?.at ?? (await ctx.now()).toISOString();
            continue;
          }
        }

        if (decision.list === 'rejected') {
          await ctx.step('delete-draft', () => gmail.deleteDraft(draft.draftId));
          await ctx.step('status-rejected', () => status(row, STATUS.rejected));
          return 'rejected';
        }

        // Approved: the card is what the human approved; its subject and text are what we send.
        sends++;
        const once = (id: string) => (sends === 1 ? id : `${id}-${sends}`);
        const approved = await ctx.step(once('read-approved-card'), async () =>
          emailFromCard((await cardNow()).desc, current.subject),
        );
        // Only ever to the lead: a draft readdressed in Gmail is refused, and the reviewer is told.
        const sent = await ctx.step(once('send'), async () => {
          try {
            return await gmail.sendDraft(draft, {
              to: lead.email,
              subject: approved.subject,
              text: approved.body,
            });
          } catch (err) {
            if (err instanceof WrongRecipientError) return { refused: err.message, hint: err.hint ?? '' };
            throw err;
          }
        });
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
          await ctx.step(once('status-not-sent'), () => status(row, STATUS.notSent));
          continue;
        }
        const when = await ctx.now();
        const to = sent.recipients?.join(', ') || lead.email;
        await ctx.step(once('comment-sent'), ({ idempotencyKey }) =>
          trello.commentOnCard(card.cardId, `Sent ${when.toISOString()} to ${to}`, { idempotencyKey }),
        );
        await ctx.step(once('status-sent'), () => status(row, STATUS.sent(when), { Draft: sent.link }));
        return 'sent';
      }
    },

    // A run that failed for good says so in the row, with the command that shows why.
    async onFailure({ input, runId }) {
      await status(input.row, STATUS.failed(runId));
    },
  });

  /** Writer, then auditor; on FAIL the writer gets the auditor's corrections, at most twice. */
  async function writeAndAudit(ctx: RecipeContext, lead: Lead): Promise<{ pitch: Pitch; audit: Audit }> {
    let corrections: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const suffix = attempt === 0 ? '' : `-${attempt}`;
      const pitch = await ctx.step(`write-pitch${suffix}`, (s) =>
        ask(s, Pitch, writePitchPrompt(lead, settings, corrections), 'pitch'),
      );
      const audit = await ctx.step(`audit${suffix}`, (s) =>
        ask(s, Audit, auditPrompt(lead, pitch, settings), 'audit', services.auditor),
      );
      if (audit.verdict === 'PASS' || attempt >= (settings.maxRewrites ?? 2)) return { pitch, audit };
      corrections = [audit.corrections, ...audit.problems].filter(Boolean).join('\n');
    }
  }
}

function flagsComment(pitch: Pitch, audit: Audit, minConfidence: number): string {
  const lines: string[] = [];
  if (pitch.confidence < minConfidence) {
    lines.push(
      `Low confidence (${pitch.confidence.toFixed(2)} < ${minConfidence}): ${pitch.confidenceReason}`,
    );
  }
  if (audit.verdict === 'FAIL') {
    lines.push('Audit failed after the allowed rewrites:', ...audit.problems.map((p) => `- ${p}`));
    if (audit.corrections) lines.push(`Suggested: ${audit.corrections}`);
  }
  return lines.join('\n');
}

/** Runs that recorded their feedback before it could be a change of mind recorded the comment alone. */
function asFeedback(recorded: Feedback | string | null): Feedback | null {
  return typeof recorded === 'string' ? { comment: recorded } : recorded;
}
