// Pathway: everyone who touches the brand is evaluated and routed. Node 1 (evaluation): checks in
// code first (a disposable or role address decides alone; an empty or link-only message, a request
// to be VIP, a Value at the VIP mark are facts), then the model's tier against the rubric, checked by
// an auditor. Node 2 (routing, in code): VIP → a Slack alert and a personal gift offer a person
// approves on Trello; Standard → the onboarding sequence; Spam → set aside (or deleted). Low
// confidence waits for a person to pick the Tier in Airtable.
import { z } from 'zod';
import {
  type AirtableClient,
  airtableRecordKey,
  type ClaimedRecord,
  formula,
  readClaimed,
  setRecordStatus,
  type TableRef,
} from '../connectors/airtable/index.ts';
import type { GmailClient } from '../connectors/gmail/index.ts';
import { defineRecipe, type Recipe, type RecipeContext } from '../src/engine/index.ts';
import type { Llm } from '../src/llm/index.ts';
import type { Trigger } from '../src/triggers/index.ts';
import { type Contact, ContactFields, toContact } from './pathway/contact.ts';
import { contactFromMessage } from './pathway/inbound.ts';
import {
  Audit,
  GiftOffer,
  giftAuditPrompt,
  giftOfferPrompt,
  Tiering,
  type Tiering as TieringAnswer,
  tierAuditPrompt,
  tierPrompt,
} from './pathway/prompts.ts';
import { PATHWAY_FIELDS as F, type PathwayTier, STANDARD_SEQUENCE } from './pathway/schema.ts';
import { factLines, ruledTier, type Signals, signalsOf } from './pathway/signals.ts';
import { modelAsker } from './shared/ask.ts';
import type { BusinessProfile } from './shared/profile.ts';
import {
  type CardEmail,
  type ReviewProgress,
  type ReviewServices,
  type ReviewSettings,
  reviewAndSend,
  withReviewerComment,
} from './shared/review/index.ts';

const utc = (when: Date) => `${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The Status words a user sees in Airtable. */
export const PATHWAY_STATUS = {
  queued: 'Queued',
  needsReview: 'Needs review',
  vipInReview: 'VIP: in review',
  vipSent: (when: Date) => `VIP: offer sent ${utc(when)}`,
  rejected: 'Rejected',
  expired: 'Expired',
  standard: 'Standard: in sequence',
  spam: 'Spam',
  skipped: (reason: string) => `Skipped: ${reason}`,
  unsubscribed: 'Skipped: unsubscribed',
  failed: (runId: string) => `Error: see \`baton show ${runId}\``,
} as const;

/** Statuses of records whose run is in flight: after a lost data folder these runs are picked up again. */
export const PATHWAY_IN_FLIGHT = [
  PATHWAY_STATUS.queued,
  PATHWAY_STATUS.needsReview,
  PATHWAY_STATUS.vipInReview,
];

export interface PathwayServices extends ReviewServices {
  airtable: AirtableClient;
  gmail: GmailClient;
  llm: Llm;
  /** The auditor's model (AUDITOR_MODEL); `llm` audits when absent. */
  auditor?: Llm;
  triggers: { contacts: Trigger; reviews: Trigger; inbound?: Trigger };
}

export interface PathwaySettings {
  profile: BusinessProfile;
  table: TableRef;
  rubric: string;
  /** PATHWAY_VIP_VALUE: a Value at or above it is VIP by the rubric. */
  vipValue?: number;
  /** PATHWAY_GIFT_OFFER. */
  giftOffer: string;
  minConfidence: number;
  /** How long a person has to pick the Tier of a low-confidence contact (PATHWAY_REVIEW_TIMEOUT). */
  tierTimeout: string;
  spamAction: 'mark' | 'delete';
  review: ReviewSettings;
  /** Corrected tiers (and offers) after an audit FAIL (default 2). */
  maxRedos?: number;
}

const Source = z
  .object({
    base: z.string(),
    table: z.string(),
    statusField: z.string(),
    claimStatus: z.string(),
    runField: z.string().optional(),
    view: z.string().optional(),
    detailField: z.string().optional(),
  })
  .transform((s) => s as ClaimedRecord['source']);

const GmailInput = z.object({ kind: z.literal('gmail'), messageId: z.string().min(1) });

const RecordInput = z
  .object({
    recordId: z.string(),
    token: z.string().optional(),
    source: Source,
    fields: z.record(z.string(), z.unknown()),
  })
  .transform((item, ctx) => {
    const parsed = ContactFields.safeParse(item.fields);
    if (!parsed.success) {
      // The trigger writes `Skipped: <reason>` from these messages ('no Email'); no model is asked.
      for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message });
      return z.NEVER;
    }
    return {
      kind: 'record' as const,
      record: { recordId: item.recordId, source: item.source, ...(item.token ? { token: item.token } : {}) },
      contact: toContact(parsed.data),
      fields: item.fields,
    };
  });

type PathwayInput = z.output<typeof GmailInput> | z.output<typeof RecordInput>;

/**
 * A claimed Contacts record (the records trigger), or a Gmail message to make one from (the inbound
 * trigger). Picked by shape rather than a zod union, so a bad record's reason reads plainly.
 */
const PathwayInput: z.ZodType<PathwayInput> = z.unknown().transform((value, ctx) => {
  const gmail = typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'gmail';
  const parsed = (gmail ? GmailInput : RecordInput).safeParse(value);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

interface Verdict {
  tier: PathwayTier;
  confidence: number;
  reason: string;
  /** Decided by code (a disposable or role address): no model was asked. */
  ruled: boolean;
  /** Left to a person, and why. */
  undecided?: string;
}

export function pathwayRecipe(
  services: PathwayServices,
  settings: PathwaySettings,
): Recipe<PathwayInput, string> {
  const { airtable, gmail, llm } = services;
  const auditor = services.auditor ?? llm;
  const { profile } = settings;
  const maxRedos = settings.maxRedos ?? 2;
  const ask = modelAsker(llm);

  return defineRecipe({
    name: 'pathway',
    triggers: [
      services.triggers.contacts,
      services.triggers.reviews,
      ...(services.triggers.inbound ? [services.triggers.inbound] : []),
    ],
    input: PathwayInput,
    concurrency: 4,
    async run(input, ctx) {
      if (input.kind === 'gmail') {
        // Only makes the record: the Contacts trigger then evaluates it like any other.
        const message = await ctx.step('read-message', async () => {
          const m = await gmail.getMessage(input.messageId);
          return { id: m.id, from: m.from, subject: m.subject, text: m.text.slice(0, 10_000) };
        });
        const made = await ctx.step('contact-record', () =>
          contactFromMessage(airtable, settings.table, message),
        );
        return made.created ? `contact ${made.recordId}` : `already ${made.recordId}`;
      }
      const { record, contact } = input;
      const status = (text: string, fields: Record<string, unknown> = {}) =>
        setRecordStatus(airtable, record, text, fields);
      const recordUrl = await ctx.step('record-url', () => airtableRecordUrl(airtable, record));

      // 1. An address already in the table: linked, never routed twice.
      const earlier = await ctx.step('same-address', () =>
        earlierRecordWithEmail(airtable, record, contact.email),
      );
      if (earlier) {
        const url = recordUrl.replace(/[^/]+$/, earlier);
        await ctx.step('status-duplicate', () =>
          status(PATHWAY_STATUS.skipped('address already in the table'), {
            [F.reason]: `Same address as ${url}: that record is the one routed.`,
          }),
        );
        return 'duplicate';
      }

      // 2. Evaluation: code first, then the model and its auditor. A run picked up again after a lost
      // data folder finds its record past this point (in review, or waiting for a person): what the
      // record says then stands, and the alerts it sent are not sent again.
      const resumed = resumedFrom(input.fields);
      // A Tier already on the record stands (a person cleared only Status to route it again, or an
      // earlier life of this run wrote it before its data folder was lost): no model is asked.
      const given = resumed ? undefined : tierOnRecord(input.fields);
      const signals = signalsOf(contact, settings.vipValue);
      const verdict = resumed ?? given ?? (await evaluate(ctx, contact, signals));
      if (!resumed && !given)
        await ctx.step('record-tier', () =>
          status(verdict.undecided ? PATHWAY_STATUS.needsReview : PATHWAY_STATUS.queued, {
            // Left empty when a person must decide: setting it is the decision.
            [F.tier]: verdict.undecided ? null : verdict.tier,
            [F.confidence]: Math.round(verdict.confidence * 100) / 100,
            [F.reason]: verdict.undecided
              ? `Suggested: ${verdict.tier}. ${verdict.reason}\n${verdict.undecided}`
              : verdict.reason,
          }),
        );

      // 3. Low confidence (or a message asking for VIP): a person picks the Tier in Airtable.
      let tier = verdict.tier;
      if (verdict.undecided) {
        if (!resumed)
          await ctx.step('alert-needs-review', () =>
            services.alert?.(
              `Contact ${contact.name}${contact.company ? ` (${contact.company})` : ''} needs a person: suggested ${verdict.tier}, confidence ${verdict.confidence.toFixed(2)}. ${verdict.undecided} Set Tier to VIP, Standard or Spam: ${recordUrl}`,
            ),
          );
        const picked = await ctx.waitFor<PathwayTier>('tier-decision', {
          key: airtableRecordKey(record.recordId),
          timeout: settings.tierTimeout,
          check: async () => tierOf((await readClaimed(airtable, record)).fields[F.tier]),
          accept: () => undefined,
        });
        // Nobody decided in time: the gentle branch.
        tier = picked ?? 'Standard';
        if (!picked)
          await ctx.step('tier-default', () => status(PATHWAY_STATUS.needsReview, { [F.tier]: 'Standard' }));
      }

      // 4. Routing, decided here in code.
      if (tier === 'Standard') {
        await ctx.step('status-standard', () =>
          status(PATHWAY_STATUS.standard, { [F.sequence]: STANDARD_SEQUENCE }),
        );
        return 'standard';
      }
      if (tier === 'Spam') return spam(ctx, input, verdict, status);
      return vip(ctx, contact, verdict, recordUrl, status, resumed?.tier === 'VIP' && !resumed.undecided);
    },

    // A run that failed for good says so on the record, with the command that shows why.
    async onFailure({ input, runId }) {
      if (input.kind === 'record')
        await setRecordStatus(airtable, input.record, PATHWAY_STATUS.failed(runId));
    },
  });

  /** The tier: by code for a disposable or role address, else the model's, checked by the auditor. */
  async function evaluate(ctx: RecipeContext, contact: Contact, signals: Signals): Promise<Verdict> {
    const ruled = ruledTier(signals);
    if (ruled) return { tier: ruled.tier, confidence: 1, reason: ruled.reason, ruled: true };
    const facts = factLines(signals, contact, settings.vipValue);
    let corrections: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const suffix = attempt === 0 ? '' : `-${attempt}`;
      const tiering = await ctx.step(`tier${suffix}`, (s) =>
        ask(s, Tiering, tierPrompt(contact, facts, settings.rubric, profile, corrections), 'contact_tier'),
      );
      const audit = await ctx.step(`audit-tier${suffix}`, (s) =>
        ask(s, Audit, tierAuditPrompt(contact, facts, tiering, settings.rubric), 'tier_audit', auditor),
      );
      if (audit.verdict === 'PASS' || attempt >= maxRedos) return verdictOf(tiering, audit, signals);
      corrections = [audit.corrections, ...audit.problems].filter(Boolean).join('\n');
    }
  }

  function verdictOf(tiering: TieringAnswer, audit: Audit, signals: Signals): Verdict {
    const base = { tier: tiering.tier, confidence: tiering.confidence, reason: tiering.reason, ruled: false };
    if (audit.verdict === 'FAIL')
      return {
        ...base,
        undecided: `The auditor still disagrees: ${audit.problems.join('; ') || audit.corrections}`,
      };
    if (tiering.confidence < settings.minConfidence)
      return {
        ...base,
        undecided: `Confidence ${tiering.confidence.toFixed(2)} is below ${settings.minConfidence}.`,
      };
    // A message that asks to be VIP never makes a VIP on its own say-so: a person looks.
    if (tiering.tier === 'VIP' && signals.asksForVip && !signals.valueAtVip)
      return { ...base, undecided: 'The message asks to be treated as VIP: a person decides.' };
    return base;
  }

  /** Spam: marked, nothing sent; with PATHWAY_SPAM_ACTION=delete its fields go into the journal, then it is deleted. */
  async function spam(
    ctx: RecipeContext,
    input: Extract<PathwayInput, { kind: 'record' }>,
    verdict: Verdict,
    status: (text: string, fields?: Record<string, unknown>) => Promise<unknown>,
  ): Promise<string> {
    await ctx.step('status-spam', () => status(PATHWAY_STATUS.spam));
    if (settings.spamAction !== 'delete') return 'spam';
    // `baton show <run>` keeps what the record said for the retention period.
    await ctx.step('spam-fields', () => ({
      recordId: input.record.recordId,
      fields: {
        ...input.fields,
        [F.tier]: 'Spam',
        [F.confidence]: verdict.confidence,
        [F.reason]: verdict.reason,
      },
    }));
    await ctx.step('delete-spam', async () => {
      await readClaimed(airtable, input.record);
      await airtable.deleteRecords(input.record.source, [input.record.recordId]);
    });
    return 'spam deleted';
  }

  /** VIP: a Slack alert at once, then a personal gift offer, audited, drafted and approved on Trello. */
  async function vip(
    ctx: RecipeContext,
    contact: Contact,
    verdict: Verdict,
    recordUrl: string,
    status: (text: string, fields?: Record<string, unknown>) => Promise<unknown>,
    alerted: boolean,
  ): Promise<string> {
    // The alert goes first, as a step of its own, and only then does the record say VIP: in review.
    // A webhook cannot be asked what it already got, so the order makes the window in which a kill can
    // double the alert as small as it can be, and leaves none in which it is lost:
    // - a kill before Slack's 200 (during the wait for Slack's ~1 message/s limit, say): the step is
    //   not journaled, the replay posts it: one alert;
    // - a kill between Slack's 200 and the journal write (a local fsync, milliseconds): the replay posts
    //   it again. This is the one window left;
    // - the data folder lost as well: a record that already says VIP: in review was alerted (its run is
    //   resumed with `alerted`); one that does not (still Queued) is alerted again only if the kill fell
    //   between Slack's 200 and the status write that follows it (the journal write and one Airtable
    //   read and write).
    if (!alerted)
      await ctx.step('alert-vip', async () => {
        await services.alert?.(
          `VIP Alert: ${contact.name}${contact.company ? ` (${contact.company})` : ''} — ${verdict.reason} Record: ${recordUrl} · ${contact.email}`,
        );
        return 'sent';
      });
    await ctx.step('status-vip', () => status(PATHWAY_STATUS.vipInReview));
    const { email, audit } = await writeOffer(ctx, contact);
    const draft = await ctx.step('create-draft', async ({ idempotencyKey, firstTry }) =>
      gmail.createDraft({
        to: contact.email,
        subject: email.subject,
        text: email.body,
        idempotencyKey,
        noEarlierTry: await firstTry(),
      }),
    );
    if (draft.status === 'sent') {
      // Sent by an earlier run whose records were lost (data folder deleted): never send twice.
      const at = await ctx.now();
      await ctx.step('status-sent-earlier', () => status(PATHWAY_STATUS.vipSent(at)));
      return 'sent';
    }
    const review = await reviewAndSend(ctx, services, settings.review, {
      draft,
      to: contact.email,
      email,
      card: {
        title: contact.company
          ? `VIP offer: ${contact.name} (${contact.company})`
          : `VIP offer: ${contact.name}`,
        labels: audit.verdict === 'FAIL' ? ['Audit failed'] : [],
        ...(audit.verdict === 'FAIL'
          ? {
              flagsComment: [
                'Audit failed after the allowed rewrites:',
                ...audit.problems.map((p) => `- ${p}`),
                ...(audit.corrections ? [`Suggested: ${audit.corrections}`] : []),
              ].join('\n'),
            }
          : {}),
        alert: `The VIP offer to ${contact.name} needs a closer look`,
      },
      revise: async (step, onCard, comment) =>
        ask(
          step,
          GiftOffer,
          withReviewerComment(giftOfferPrompt(contact, settings.giftOffer, profile), onCard, comment),
          'gift_offer',
        ),
      progress: (update) => status(offerStatus(update)),
      startOver: 'To route this contact again, clear its Status and Tier in Airtable.',
    });
    return review.outcome;
  }

  /** Writer, then auditor against BRAND_GUIDELINES and the gift; on FAIL rewritten with the corrections, at most twice. */
  async function writeOffer(
    ctx: RecipeContext,
    contact: Contact,
  ): Promise<{ email: CardEmail; audit: Audit }> {
    let corrections: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const suffix = attempt === 0 ? '' : `-${attempt}`;
      const email = await ctx.step(`write-offer${suffix}`, (s) =>
        ask(s, GiftOffer, giftOfferPrompt(contact, settings.giftOffer, profile, corrections), 'gift_offer'),
      );
      const audit = await ctx.step(`audit-offer${suffix}`, (s) =>
        ask(s, Audit, giftAuditPrompt(contact, email, settings.giftOffer, profile), 'email_audit', auditor),
      );
      if (audit.verdict === 'PASS' || attempt >= maxRedos) return { email, audit };
      corrections = [audit.corrections, ...audit.problems].filter(Boolean).join('\n');
    }
  }
}

/**
 * Where an earlier run of this record got to, from the fields it was handed over with: VIP: in review
 * (routed and alerted) or Needs review (a person was asked). Undefined for a record to evaluate.
 */
function resumedFrom(fields: Record<string, unknown>): Verdict | undefined {
  const status = fields[F.status];
  const confidence = typeof fields[F.confidence] === 'number' ? (fields[F.confidence] as number) : 0;
  const reason = typeof fields[F.reason] === 'string' ? (fields[F.reason] as string) : '';
  if (status === PATHWAY_STATUS.vipInReview) return { tier: 'VIP', confidence, reason, ruled: false };
  if (status === PATHWAY_STATUS.needsReview) {
    const suggested = tierOf(/^Suggested: (\w+)\./.exec(reason)?.[1]) ?? 'Standard';
    return {
      tier: suggested,
      confidence,
      reason,
      ruled: false,
      undecided: 'Waiting for a person since an earlier run.',
    };
  }
  return undefined;
}

/**
 * The Tier a claimed record already carries, as the verdict to route by (its Confidence and Reason
 * kept), or undefined when it has none: then the record is evaluated.
 */
function tierOnRecord(fields: Record<string, unknown>): Verdict | undefined {
  const tier = tierOf(fields[F.tier]);
  if (!tier) return undefined;
  const confidence = typeof fields[F.confidence] === 'number' ? (fields[F.confidence] as number) : 1;
  const earlier = typeof fields[F.reason] === 'string' ? (fields[F.reason] as string).trim() : '';
  const reason = `Tier ${tier} was already set on the record.${earlier ? ` Earlier reason: ${earlier}` : ''}`;
  return { tier, confidence, reason, ruled: false };
}

function tierOf(value: unknown): PathwayTier | undefined {
  const word = typeof value === 'string' ? value : (value as { name?: string } | undefined)?.name;
  return word === 'VIP' || word === 'Standard' || word === 'Spam' ? word : undefined;
}

/** The Status for each stage of the offer's review. */
function offerStatus(update: ReviewProgress): string {
  switch (update.kind) {
    case 'in-review':
    case 'revising':
    case 'not-sent':
      return PATHWAY_STATUS.vipInReview;
    case 'sent':
      return PATHWAY_STATUS.vipSent(update.at);
    case 'rejected':
      return PATHWAY_STATUS.rejected;
    case 'expired':
      return PATHWAY_STATUS.expired;
    case 'do-not-contact':
      return PATHWAY_STATUS.unsubscribed;
  }
}

/**
 * The id of a record created before this one with the same address (case-insensitive), if any: that
 * one is routed, this one only points to it. Ties in creation time go to the smaller id.
 */
async function earlierRecordWithEmail(
  airtable: AirtableClient,
  record: ClaimedRecord,
  email: string,
): Promise<string | undefined> {
  const table = { base: record.source.base, table: record.source.table };
  const same = await airtable.listAll(table, {
    filterByFormula: `LOWER(TRIM(${formula.field(F.email)})) = ${formula.text(email.toLowerCase())}`,
    fields: [F.email],
  });
  const mine = same.find((r) => r.id === record.recordId);
  const before = same
    .filter((r) => r.id !== record.recordId)
    .filter(
      (r) =>
        !mine || r.createdTime < mine.createdTime || (r.createdTime === mine.createdTime && r.id < mine.id),
    )
    .sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.id.localeCompare(b.id));
  return before[0]?.id;
}

/** The record's address in Airtable's web app (the table's id, from the schema Baton already reads). */
async function airtableRecordUrl(airtable: AirtableClient, record: ClaimedRecord): Promise<string> {
  const table = await airtable.tableSchema(record.source);
  return `https://airtable.com/${record.source.base}/${table.id}/${record.recordId}`;
}
