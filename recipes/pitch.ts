// Pitch: a new lead in the sheet → a personal pitch, checked by an auditor → a Gmail draft and a
// Trello review card → a human approves (drag to Approved), rejects, or asks for changes → send.
import { z } from 'zod';
import type { GmailClient } from '../connectors/gmail/index.ts';
import { type SheetRowRef, type SheetsClient, setRowStatus } from '../connectors/sheets/index.ts';
import type { CardSignalPayload, TrelloClient } from '../connectors/trello/index.ts';
import {
  defineRecipe,
  NonRetriableError,
  type Recipe,
  type RecipeContext,
  type StepContext,
} from '../src/engine/index.ts';
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
import { emailBodyFromCard, reviewCardDescription, reviewCardTitle } from './pitch/review-card.ts';

/** The Status words a user sees in the sheet, in the order a lead goes through them. */
export const STATUS = {
  queued: 'Queued',
  drafted: 'Drafted',
  inReview: 'In review',
  revising: 'Revising',
  sent: (when: Date) => `Sent ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  rejected: 'Rejected',
  expired: 'Expired',
  failed: (runId: string) => `Error: see \`baton show ${runId}\``,
} as const;

/** Statuses of rows whose run is in flight: after a lost data folder these runs are picked up again. */
export const IN_FLIGHT = [STATUS.queued, STATUS.drafted, STATUS.inReview, STATUS.revising];

export interface PitchServices {
  sheets: SheetsClient;
  gmail: GmailClient;
  trello: TrelloClient;
  llm: Llm;
  /** Resolves the board's list ids by role (cached; a missing list is a clear, non-retriable error). */
  lists(): Promise<Record<ListRole, string>>;
  /** Best-effort heads-up (Slack) when a pitch needs a closer look. */
  alert?(text: string): Promise<void>;
  triggers: { leads: Trigger; reviews: Trigger };
}

export type ListRole = 'review' | 'approved' | 'rejected' | 'changes';

export interface PitchSettings extends PitchBrief {
  /** The review board's list names by role (TRELLO_REVIEW_LIST, …). */
  lists: Record<ListRole, string>;
  minConfidence: number;
  approvalTimeout: string;
  /** Rewrites the auditor may ask for before the pitch goes to review marked `Audit failed`. */
  maxRewrites?: number;
  /** "Needs changes" rounds before the card stays put and only a human can move on. */
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

type Decision = { list: 'approved' | 'rejected' | 'changes' };

export function pitchRecipe(services: PitchServices, settings: PitchSettings): Recipe<PitchInput, string> {
  const { sheets, gmail, trello, llm } = services;
  const status = (row: SheetRowRef, text: string, extra?: Record<string, string>) =>
    setRowStatus(sheets, row, text, extra);
  /** One model call inside a step; its tokens and estimated cost go into the run's journal. */
  const ask = async <S extends z.ZodType>(step: StepContext, schema: S, prompt: LlmPrompt, name: string) => {
    const result = await llm.object(schema, prompt, { name });
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
          desc: reviewCardDescription(pitch.body, draft.link, ctx.runId),
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

      // 4. Wait for the reviewer: Approved sends, Rejected discards, Needs changes rewrites.
      const bot = await ctx.step('who-am-i', () => trello.whoAmI());
      let current = { subject: pitch.subject, body: pitch.body };
      let inReviewSince = (await ctx.now()).toISOString();
      const expire = async () => {
        await ctx.step('comment-expired', ({ idempotencyKey }) =>
          trello.commentOnCard(
            card.cardId,
            `No decision within ${settings.approvalTimeout}: nothing was sent.`,
            {
              idempotencyKey,
            },
          ),
        );
        await ctx.step('status-expired', () => status(row, STATUS.expired));
        return 'expired';
      };
      for (let round = 1; ; round++) {
        const decision = await ctx.waitFor<Decision>(`decision-${round}`, {
          key: `trello:card:${card.cardId}`,
          timeout: settings.approvalTimeout,
          check: async () =>
            decisionFromList((await trello.getCard(card.cardId)).listId, await services.lists()),
          accept: (payload) => decisionFromSignal(payload as CardSignalPayload, settings.lists),
        });

        if (decision === null) return expire();

        if (decision.list === 'approved') {
          // The card is what the human approved: its current description is the body we send.
          const approved = await ctx.step('read-approved-card', async () =>
            emailBodyFromCard((await trello.getCard(card.cardId)).desc),
          );
          const sent = await ctx.step('send', () => gmail.sendDraft(draft, { text: approved }));
          const when = await ctx.now();
          await ctx.step('comment-sent', ({ idempotencyKey }) =>
            trello.commentOnCard(card.cardId, `Sent ${when.toISOString()} to ${lead.email}`, {
              idempotencyKey,
            }),
          );
          await ctx.step('status-sent', () => status(row, STATUS.sent(when), { Draft: sent.link }));
          return 'sent';
        }

        if (decision.list === 'rejected') {
          await ctx.step('delete-draft', () => gmail.deleteDraft(draft.draftId));
          await ctx.step('status-rejected', () => status(row, STATUS.rejected));
          return 'rejected';
        }

        // Needs changes: the reviewer's newest comment is the correction.
        if (round > (settings.maxRevisions ?? 5)) {
          throw new NonRetriableError(`Pitch for ${lead.name} was sent back ${round - 1} times`, {
            hint: 'edit the card and move it to Approved or Rejected by hand',
          });
        }
        await ctx.step(`status-revising-${round}`, () => status(row, STATUS.revising));
        // The reviewer may move the card first and comment a moment later: wait for the comment.
        const since = inReviewSince;
        const feedback = await ctx.waitFor<string>(`feedback-${round}`, {
          key: `trello:card:${card.cardId}`,
          timeout: settings.approvalTimeout,
          check: () => newestHumanComment(trello, card.cardId, since),
          accept: (payload) => humanComment(payload as CardSignalPayload, bot.id),
        });
        if (feedback === null) return expire();
        current = await ctx.step(`revise-${round}`, async (s) => {
          const revised = await ask(s, Pitch, revisionPrompt(lead, settings, current, feedback), 'pitch');
          return { subject: revised.subject, body: revised.body };
        });
        await ctx.step(`update-draft-${round}`, () =>
          gmail.updateDraft(draft.draftId, { to: lead.email, subject: current.subject, text: current.body }),
        );
        await ctx.step(`update-card-${round}`, async () => {
          const lists = await services.lists();
          await trello.updateCard(card.cardId, {
            desc: reviewCardDescription(current.body, draft.link, ctx.runId),
            listId: lists.review,
          });
        });
        await ctx.step(`status-in-review-${round}`, () => status(row, STATUS.inReview));
        inReviewSince = (await ctx.now()).toISOString();
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
        ask(s, Audit, auditPrompt(lead, pitch, settings), 'audit'),
      );
      if (audit.verdict === 'PASS' || attempt >= (settings.maxRewrites ?? 2)) return { pitch, audit };
      corrections = [audit.corrections, ...audit.problems].filter(Boolean).join('\n');
    }
  }
}

function decisionFromList(listId: string, lists: Record<ListRole, string>): Decision | undefined {
  if (listId === lists.approved) return { list: 'approved' };
  if (listId === lists.rejected) return { list: 'rejected' };
  if (listId === lists.changes) return { list: 'changes' };
  return undefined;
}

/** A move (or a reconcile sighting) into a decision list ends the wait; comments do not. */
function decisionFromSignal(
  payload: CardSignalPayload,
  names: Record<ListRole, string>,
): Decision | undefined {
  if (payload.kind === 'comment') return undefined;
  // Matched like the connector's findLists: ignoring case and surrounding spaces.
  const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
  for (const role of ['approved', 'rejected', 'changes'] as const) {
    if (same(payload.listName, names[role])) return { list: role };
  }
  return undefined;
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

/** The newest comment on the card written after `since` by someone other than Baton. */
async function newestHumanComment(
  trello: TrelloClient,
  cardId: string,
  since: string,
): Promise<string | undefined> {
  const [card, me] = await Promise.all([trello.getCard(cardId), trello.whoAmI()]);
  return card.comments.find((c) => c.memberCreator.id !== me.id && c.date > since)?.text;
}

function humanComment(payload: CardSignalPayload, botId: string): string | undefined {
  return payload.kind === 'comment' && payload.comment.memberCreator.id !== botId
    ? payload.comment.text
    : undefined;
}
