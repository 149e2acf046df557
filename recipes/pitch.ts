// Pitch: a new lead in the sheet → a personal pitch, checked by an auditor → a Gmail draft and a
// Trello review card → a human approves (drag to Approved), rejects, or asks for changes → send.
import { z } from 'zod';
import type { GmailClient } from '../connectors/gmail/index.ts';
import { type SheetRowRef, type SheetsClient, setRowStatus } from '../connectors/sheets/index.ts';
import type { TrelloClient } from '../connectors/trello/index.ts';
import { defineRecipe, type Recipe, type RecipeContext } from '../src/engine/index.ts';
import type { Llm } from '../src/llm/index.ts';
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
import { modelAsker } from './shared/ask.ts';
import {
  type ListRole,
  type ReviewProgress,
  type ReviewServices,
  reviewAndSend,
} from './shared/review/index.ts';

export type { ListRole } from './shared/review/index.ts';

/** The Status words a user sees in the sheet, in the order a lead goes through them. */
export const STATUS = {
  queued: 'Queued',
  drafted: 'Drafted',
  inReview: 'In review',
  revising: 'Revising',
  sent: (when: Date) => `Sent ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  rejected: 'Rejected',
  notSent: 'Not sent: the Gmail draft is addressed to someone else (see the card)',
  /** Final: the address is on a do-not-contact list (Unsubscribed in Airtable, or do-not-contact.json). */
  doNotContact: (address: string) => `Not sent: ${address} asked not to be contacted`,
  expired: 'Expired',
  failed: (runId: string) => `Error: see \`baton show ${runId}\``,
} as const;

/** Statuses of rows whose run is in flight: after a lost data folder these runs are picked up again. */
export const IN_FLIGHT = [STATUS.queued, STATUS.drafted, STATUS.inReview, STATUS.revising, STATUS.notSent];

export interface PitchServices extends ReviewServices {
  sheets: SheetsClient;
  gmail: GmailClient;
  trello: TrelloClient;
  llm: Llm;
  /** The auditor's model (AUDITOR_MODEL), ideally not the writer's; `llm` audits when absent. */
  auditor?: Llm;
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
  const { sheets, gmail, llm } = services;
  const reviewSettings = {
    lists: settings.lists,
    timeout: settings.approvalTimeout,
    maxRevisions: settings.maxRevisions ?? 5,
  };
  const status = (row: SheetRowRef, text: string, extra?: Record<string, string>) =>
    setRowStatus(sheets, row, text, extra);
  const ask = modelAsker(llm);

  return defineRecipe({
    name: 'pitch',
    triggers: [services.triggers.leads, services.triggers.reviews],
    input: PitchInput,
    concurrency: 4,
    async run({ row, lead }, ctx) {
      // 1. Write the pitch, and let the auditor check it against the guidelines and the row's facts.
      const { pitch, audit } = await writeAndAudit(ctx, lead);

      // 2. Draft it in Gmail, addressed to the lead and no one else.
      const draft = await ctx.step('create-draft', async ({ idempotencyKey, firstTry }) =>
        gmail.createDraft({
          to: lead.email,
          subject: pitch.subject,
          text: pitch.body,
          idempotencyKey,
          noEarlierTry: await firstTry(),
        }),
      );
      if (draft.status === 'sent') {
        // Sent by an earlier run whose records were lost (data folder deleted): never send twice.
        await ctx.step('status-sent-earlier', () => status(row, 'Sent', { Draft: draft.link }));
        return 'sent earlier';
      }
      await ctx.step('status-drafted', () => status(row, STATUS.drafted, { Draft: draft.link }));

      // 3. Put it on the review board, flagging what needs a closer look, and follow the reviewer:
      //    Approved sends the card's text, Rejected deletes the draft, Needs changes rewrites it.
      const labels = [
        ...(audit.verdict === 'FAIL' ? ['Audit failed'] : []),
        ...(pitch.confidence < settings.minConfidence ? ['Low confidence'] : []),
      ];
      const review = await reviewAndSend(ctx, services, reviewSettings, {
        draft,
        to: lead.email,
        email: { subject: pitch.subject, body: pitch.body },
        card: {
          title: reviewCardTitle(lead),
          labels,
          flagsComment: flagsComment(pitch, audit, settings.minConfidence),
          alert: `Pitch for ${lead.name} needs a closer look`,
        },
        revise: async (step, onCard, comment) => {
          const revised = await ask(step, Pitch, revisionPrompt(lead, settings, onCard, comment), 'pitch');
          return { subject: revised.subject, body: revised.body };
        },
        progress: (update) => status(row, ...statusOf(update)),
        startOver: 'To pitch this lead again, clear its Status in the sheet.',
      });
      return review.outcome;
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

function reviewCardTitle(lead: Lead): string {
  return lead.company ? `Pitch: ${lead.name} (${lead.company})` : `Pitch: ${lead.name}`;
}

/** The Status cell (and Draft link) for each stage of the review. */
function statusOf(update: ReviewProgress): [string, Record<string, string>?] {
  switch (update.kind) {
    case 'in-review':
      return [STATUS.inReview];
    case 'revising':
      return [STATUS.revising];
    case 'not-sent':
      return [STATUS.notSent];
    case 'do-not-contact':
      return [STATUS.doNotContact(update.address)];
    case 'sent':
      return [STATUS.sent(update.at), { Draft: update.sent.link }];
    case 'rejected':
      return [STATUS.rejected];
    case 'expired':
      return [STATUS.expired];
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
