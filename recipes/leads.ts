// Leads: a new lead in Airtable → enrichment from its website → competitive research → a score the
// auditor checks → a Notion dossier → hot leads get a personal email with a booking link, reviewed on
// Trello, sent, and followed up after 48 h unless they reply; the rest go to nurture. Low confidence
// waits for a person to pick the tier in Airtable.
import { z } from 'zod';
import {
  type AirtableClient,
  airtableRecordKey,
  type ClaimedRecord,
  readClaimed,
  setRecordStatus,
} from '../connectors/airtable/index.ts';
import { type GmailClient, type GmailReply, gmailReplyWait } from '../connectors/gmail/index.ts';
import type { NotionClient } from '../connectors/notion/index.ts';
import type { WebsitePage } from '../connectors/website/index.ts';
import { websiteFor } from '../connectors/website/index.ts';
import { defineRecipe, type Recipe, type RecipeContext } from '../src/engine/index.ts';
import type { Llm, LlmPrompt } from '../src/llm/index.ts';
import type { Trigger } from '../src/triggers/index.ts';
import { dossierMarkdown } from './leads/dossier.ts';
import { bookingLink, LeadFields, toLead } from './leads/lead.ts';
import {
  CompanyProfile,
  type Dossier,
  EmailAudit,
  emailAuditPrompt,
  followUpPrompt,
  type Lead,
  Outreach,
  outreachPrompt,
  profilePrompt,
  Research,
  researchPrompt,
  Score,
  ScoreAudit,
  scoreAuditPrompt,
  scorePrompt,
} from './leads/prompts.ts';
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
import { DoNotContactError, unattendedEmail } from './shared/sending/index.ts';

const utc = (when: Date) => `${when.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** The Status words a user sees in Airtable (and, without dates, on the Notion dossier). */
export const STATUS = {
  queued: 'Queued',
  researching: 'Researching',
  needsReview: 'Needs review',
  hotInReview: 'Hot: in review',
  hotSent: (when: Date) => `Hot: sent ${utc(when)}`,
  followUpSent: (when: Date) => `Follow-up sent ${utc(when)}`,
  replied: (when: Date) => `Replied ${utc(when)}`,
  rejected: 'Rejected',
  expired: 'Expired',
  /** The address is on a do-not-contact list (Unsubscribed ticked, or do-not-contact.json): never written to. */
  unsubscribed: 'Skipped: unsubscribed',
  nurture: 'Nurture',
  failed: (runId: string) => `Error: see \`baton show ${runId}\``,
} as const;

/** Statuses of records whose run is in flight: after a lost data folder these runs are picked up again. */
export const IN_FLIGHT = [STATUS.queued, STATUS.researching, STATUS.needsReview, STATUS.hotInReview];

/** The Notion dossier's `Status` select: the Airtable status without its date or detail. */
export function notionStatusWord(status: string): string {
  if (status.startsWith('Skipped')) return 'Skipped';
  if (status.startsWith('Error')) return 'Error';
  return status.replace(/ \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/, '');
}

export type Tier = 'Hot' | 'Nurture';

export interface LeadsServices extends ReviewServices {
  airtable: AirtableClient;
  notion: NotionClient;
  gmail: GmailClient;
  llm: Llm;
  /** The auditor's model (AUDITOR_MODEL); `llm` audits when absent. */
  auditor?: Llm;
  /** The guarded website fetch (never a private address; failures are results, not errors). */
  fetchWebsite(url: string): Promise<WebsitePage>;
  /** A personalised copy of the Slides template (LEADS_DECK_TEMPLATE_ID), when configured. */
  makeDeck?(input: { name: string; values: Record<string, string>; idempotencyKey: string }): Promise<{
    url: string;
  }>;
  triggers: { leads: Trigger; reviews: Trigger; replies: Trigger };
}

export interface LeadsSettings {
  profile: BusinessProfile;
  rubric: string;
  /** Scores above this are Hot (LEADS_HOT_SCORE). */
  hotScore: number;
  minConfidence: number;
  /** The Notion dossier database (LEADS_NOTION_DATABASE_ID). */
  notionDatabase: string;
  bookingUrl?: string;
  followUpAfter: string;
  followUps: number;
  /** How long a person has to pick the tier of a low-confidence lead (LEADS_REVIEW_TIMEOUT). */
  tierTimeout: string;
  review: ReviewSettings;
  /** Corrected scores after an audit FAIL (default 2). */
  maxRescores?: number;
  /** Rewrites of an email after an audit FAIL (default 2). */
  maxRewrites?: number;
}

/** A claimed record, as the `records` trigger hands it over. */
const LeadsInput = z
  .object({
    recordId: z.string(),
    token: z.string().optional(),
    source: z
      .object({
        base: z.string(),
        table: z.string(),
        statusField: z.string(),
        claimStatus: z.string(),
        runField: z.string().optional(),
        view: z.string().optional(),
        detailField: z.string().optional(),
      })
      .transform((s) => s as ClaimedRecord['source']),
    fields: LeadFields,
  })
  .transform((item) => ({
    record: { recordId: item.recordId, source: item.source, ...(item.token ? { token: item.token } : {}) },
    lead: toLead(item.fields),
  }));
type LeadsInput = z.output<typeof LeadsInput>;

export function leadsRecipe(services: LeadsServices, settings: LeadsSettings): Recipe<LeadsInput, string> {
  const { airtable, notion, gmail, llm } = services;
  const auditor = services.auditor ?? llm;
  const { profile } = settings;
  const ask = modelAsker(llm);

  return defineRecipe({
    name: 'leads',
    triggers: [services.triggers.leads, services.triggers.reviews, services.triggers.replies],
    input: LeadsInput,
    concurrency: 4,
    async run({ record, lead }, ctx) {
      let dossierPage: string | undefined;
      /** The record's Status (and result fields), and the dossier's Status once the page exists. */
      const status = async (text: string, fields: Record<string, unknown> = {}) => {
        await setRecordStatus(airtable, record, text, fields);
        if (dossierPage) await notion.updatePage(dossierPage, { Status: notionStatusWord(text) });
      };
      await ctx.step('status-researching', () => status(STATUS.researching));

      // 1. Enrichment: the company's own website, read safely; a site that fails is noted, not fatal.
      const site = websiteFor(lead);
      const page = await ctx.step('fetch-website', async () => {
        if (!site) return { ok: false as const, note: 'no website, and the email is a free-mail address' };
        const fetched = await services.fetchWebsite(site);
        return fetched.ok
          ? { ok: true as const, url: fetched.url, text: fetched.text.slice(0, 12_000), note: 'read' }
          : { ok: false as const, url: fetched.url, note: fetched.reason };
      });
      const companyProfile = await ctx.step('profile', (s) =>
        ask(s, CompanyProfile, profilePrompt(lead, page), 'company_profile'),
      );

      // 2. Competitive research, keeping what the site says apart from general knowledge.
      const research = await ctx.step('research', (s) =>
        ask(s, Research, researchPrompt(lead, companyProfile, profile), 'research'),
      );
      const dossier: Dossier = {
        lead,
        website: { ...(page.url ? { url: page.url } : {}), ok: page.ok, note: page.note },
        profile: companyProfile,
        research,
      };

      // 3. Score against the rubric; the auditor checks it against the evidence.
      const { score, audit } = await scoreAndAudit(ctx, dossier);
      const confident = score.confidence >= settings.minConfidence && audit.verdict === 'PASS';
      // The branch is decided here, from the numbers, never by the model.
      const suggested: Tier = score.score > settings.hotScore ? 'Hot' : 'Nurture';

      // 4. The dossier in Notion, and the score back on the record.
      const recordUrl = await ctx.step('record-url', () => airtableRecordUrl(airtable, record));
      const dossierRef = await ctx.step('dossier', async ({ idempotencyKey }) => {
        const source = await notion.dataSource(settings.notionDatabase);
        const title = [...source.properties].find(([, config]) => config.type === 'title')?.[0] ?? 'Name';
        const tierShown = confident ? suggested : `undecided (suggested ${suggested})`;
        return notion.createPage({
          dataSource: settings.notionDatabase,
          properties: {
            [title]: lead.name,
            Company: lead.company,
            Email: lead.email,
            Score: score.score,
            Tier: confident ? suggested : null,
            Status: notionStatusWord(confident ? STATUS.researching : STATUS.needsReview),
            Airtable: recordUrl,
          },
          markdown: dossierMarkdown(dossier, score, audit, tierShown),
          idempotencyKey,
        });
      });
      dossierPage = dossierRef.pageId;
      const reasons = [
        ...score.reasons.map((r) => `- ${r}`),
        ...(confident ? [] : [`Suggested tier: ${suggested}. ${lowConfidenceWhy(score, audit, settings)}`]),
      ].join('\n');
      await ctx.step('record-score', () =>
        setRecordStatus(airtable, record, confident ? STATUS.researching : STATUS.needsReview, {
          Score: score.score,
          Confidence: Math.round(score.confidence * 100) / 100,
          // Left empty when a person must decide: setting it is the decision.
          Tier: confident ? suggested : null,
          Reasons: reasons,
          Research: dossierRef.url,
        }),
      );

      // 5. Low confidence, or an audit still failing: a person picks the tier in Airtable.
      let tier: Tier = suggested;
      if (!confident) {
        // The record and the dossier already say Needs review (record-score, dossier): no write here.
        await ctx.step('alert-needs-review', () =>
          services.alert?.(
            `Lead ${lead.name}${lead.company ? ` (${lead.company})` : ''} needs a person: score ${score.score}/10, confidence ${score.confidence.toFixed(2)}. Set Tier to Hot or Nurture: ${recordUrl} · dossier ${dossierRef.url}`,
          ),
        );
        const picked = await ctx.waitFor<Tier>('tier-decision', {
          key: airtableRecordKey(record.recordId),
          timeout: settings.tierTimeout,
          check: async () => tierOf((await readClaimed(airtable, record)).fields.Tier),
          accept: () => undefined,
        });
        // Nobody decided in time: the gentle branch.
        tier = picked ?? 'Nurture';
        if (!picked)
          await ctx.step('tier-default', () =>
            setRecordStatus(airtable, record, STATUS.needsReview, { Tier: 'Nurture' }),
          );
        await ctx.step('dossier-tier', () => notion.updatePage(dossierRef.pageId, { Tier: tier }));
      }

      // 6. Nurture: the sequence recipe takes it from here when configured.
      if (tier === 'Nurture') {
        await ctx.step('status-nurture', () => status(STATUS.nurture, { Sequence: 'nurture' }));
        return 'nurture';
      }

      // 7. Hot: a heads-up, then a personal email with a booking link (and a deck), reviewed on Trello.
      await ctx.step('alert-hot', () =>
        services.alert?.(
          `Hot lead: ${lead.name}${lead.company ? ` (${lead.company})` : ''}, ${score.score}/10. ${score.reasons.slice(0, 2).join(' ')} Record: ${recordUrl} · dossier: ${dossierRef.url}`,
        ),
      );
      const booking = settings.bookingUrl ? bookingLink(settings.bookingUrl, lead) : undefined;
      const deck = services.makeDeck
        ? await ctx.step('deck', ({ idempotencyKey }) =>
            services.makeDeck!({
              name: `${lead.company || lead.name} — ${profile.senderName}`,
              values: deckValues(dossier, score),
              idempotencyKey,
            }),
          )
        : undefined;
      const links = { ...(booking ? { booking } : {}), ...(deck ? { deck: deck.url } : {}) };
      const { email: outreach, audit: outreachAudit } = await writeAndAudit(
        ctx,
        'outreach',
        dossier,
        (corrections) => outreachPrompt(dossier, profile, booking, deck?.url, corrections),
      );
      const first = withLinks(outreach, links);
      const draft = await ctx.step('create-draft', async ({ idempotencyKey, firstTry }) =>
        gmail.createDraft({
          to: lead.email,
          subject: first.subject,
          text: first.body,
          idempotencyKey,
          noEarlierTry: await firstTry(),
        }),
      );
      let sent: { at: Date; threadId: string; messageId: string; email: CardEmail };
      if (draft.status === 'sent') {
        // Sent by an earlier run whose records were lost (data folder deleted): never send twice.
        const at = await ctx.now();
        await ctx.step('status-sent-earlier', () => status(STATUS.hotSent(at)));
        sent = { at, threadId: draft.threadId, messageId: draft.messageId, email: first };
      } else {
        const review = await reviewAndSend(ctx, services, settings.review, {
          draft,
          to: lead.email,
          email: first,
          card: {
            title: lead.company ? `Outreach: ${lead.name} (${lead.company})` : `Outreach: ${lead.name}`,
            labels: outreachAudit.verdict === 'FAIL' ? ['Audit failed'] : [],
            flagsComment: auditComment(outreachAudit),
            alert: `Outreach to ${lead.name} needs a closer look`,
          },
          revise: async (step, onCard, comment) => {
            const prompt = withReviewerComment(
              outreachPrompt(dossier, profile, booking, deck?.url),
              onCard,
              comment,
            );
            return withLinks(await ask(step, Outreach, prompt, 'outreach'), links);
          },
          progress: (update) => status(...outreachStatus(update)),
          startOver: 'To write to this lead again, clear its Status in Airtable.',
        });
        if (review.outcome !== 'sent') return review.outcome;
        sent = {
          at: review.at,
          threadId: review.sent.threadId,
          messageId: review.sent.messageId,
          email: review.email,
        };
      }

      // 8. Follow-up: wait for a reply; none within LEADS_FOLLOW_UP_AFTER → one in the same thread.
      let lastAt = sent.at;
      for (let n = 1; ; n++) {
        const replies = await ctx.waitFor<GmailReply[]>(
          `reply-${n}`,
          gmailReplyWait(gmail, {
            threadId: sent.threadId,
            after: lastAt,
            from: lead.email,
            timeout: settings.followUpAfter,
          }),
        );
        if (replies && replies.length > 0) return replied(ctx, replies[0]!, lead, status);
        // A reply after the last follow-up still counts; then the run ends.
        if (n > settings.followUps) return 'no reply';

        const { email: draftText, audit: followUpAudit } = await writeAndAudit(
          ctx,
          `follow-up-${n}`,
          dossier,
          (corrections) => followUpPrompt(dossier, profile, sent.email, booking, corrections),
        );
        const followUp = {
          subject: sent.email.subject,
          body: withLinks(draftText, { ...(booking ? { booking } : {}) }).body,
        };
        if (followUpAudit.verdict === 'PASS') {
          // Checked by the auditor: sent without a human, in the same thread, exactly once — inside
          // SEND_WINDOW, within the day's GMAIL_DAILY_LIMIT, and never to a do-not-contact address.
          const followUpSent = await ctx.step(`send-follow-up-${n}`, async ({ idempotencyKey }) => {
            try {
              return await services.sendRules.send(
                { to: lead.email, recipe: ctx.recipe, key: idempotencyKey, unattended: true },
                async () => {
                  // Nobody approved it: it carries the unsubscribe line, postal address and header.
                  const dressed = unattendedEmail(
                    followUp.body,
                    services.sendRules.settings,
                    await gmail.senderAddress(),
                  );
                  return gmail.sendReply({
                    threadId: sent.threadId,
                    to: lead.email,
                    subject: followUp.subject,
                    text: dressed.text,
                    listUnsubscribe: dressed.listUnsubscribe,
                    idempotencyKey,
                  });
                },
              );
            } catch (err) {
              if (err instanceof DoNotContactError) return { blocked: err.message };
              throw err;
            }
          });
          if ('blocked' in followUpSent) {
            await ctx.step(`status-do-not-contact-${n}`, () => status(STATUS.unsubscribed));
            return 'unsubscribed';
          }
          lastAt = await ctx.now();
          await ctx.step(`status-follow-up-${n}`, () => status(STATUS.followUpSent(lastAt)));
          continue;
        }
        // The auditor objected: a person reviews it like the outreach.
        const followUpDraft = await ctx.step(
          `create-follow-up-draft-${n}`,
          async ({ idempotencyKey, firstTry }) =>
            gmail.createDraft({
              to: lead.email,
              subject: `Re: ${followUp.subject.replace(/^re:\s*/i, '')}`,
              text: followUp.body,
              threadId: sent.threadId,
              inReplyTo: sent.messageId,
              references: [sent.messageId],
              idempotencyKey,
              noEarlierTry: await firstTry(),
            }),
        );
        if (followUpDraft.status === 'sent') {
          lastAt = await ctx.now();
          continue;
        }
        const review = await reviewAndSend(ctx, services, settings.review, {
          draft: followUpDraft,
          to: lead.email,
          email: { subject: `Re: ${followUp.subject.replace(/^re:\s*/i, '')}`, body: followUp.body },
          card: {
            title: `Follow-up: ${lead.name}${lead.company ? ` (${lead.company})` : ''}`,
            labels: ['Audit failed'],
            flagsComment: auditComment(followUpAudit),
            alert: `Follow-up to ${lead.name} needs a closer look`,
          },
          // Rewritten as the follow-up it is, not as a first contact.
          revise: async (step, onCard, comment) => {
            const prompt = withReviewerComment(
              followUpPrompt(dossier, profile, sent.email, booking),
              onCard,
              comment,
            );
            return ask(step, Outreach, prompt, 'outreach');
          },
          // The record keeps saying when the outreach went; only a sent follow-up changes it.
          progress: async (update) => {
            if (update.kind === 'sent') await status(STATUS.followUpSent(update.at));
            if (update.kind === 'do-not-contact') await status(STATUS.unsubscribed);
          },
          startOver: 'No follow-up was sent; the lead stays as it is in Airtable.',
          stepPrefix: `follow-up-${n}-`,
        });
        if (review.outcome !== 'sent') return `follow-up ${review.outcome}`;
        lastAt = review.at;
      }
    },

    // A run that failed for good says so on the record, with the command that shows why.
    async onFailure({ input, runId }) {
      await setRecordStatus(airtable, input.record, STATUS.failed(runId));
    },
  });

  /** The lead answered: Replied with the date of their reply, and a ping. */
  async function replied(
    ctx: RecipeContext,
    reply: GmailReply,
    lead: Lead,
    status: (text: string) => Promise<void>,
  ): Promise<string> {
    const at = new Date(reply.at);
    await ctx.step('status-replied', () => status(STATUS.replied(at)));
    await ctx.step('alert-replied', () =>
      services.alert?.(`${lead.name} replied: “${reply.snippet.slice(0, 200)}”`),
    );
    return 'replied';
  }

  /** Scorer, then auditor; on FAIL the scorer gets the auditor's corrections, at most twice. */
  async function scoreAndAudit(
    ctx: RecipeContext,
    dossier: Dossier,
  ): Promise<{ score: Score; audit: ScoreAudit }> {
    let corrections: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const suffix = attempt === 0 ? '' : `-${attempt}`;
      const score = await ctx.step(`score${suffix}`, (s) =>
        ask(s, Score, scorePrompt(dossier, settings.rubric, profile, corrections), 'lead_score'),
      );
      const audit = await ctx.step(`audit-score${suffix}`, (s) =>
        ask(s, ScoreAudit, scoreAuditPrompt(dossier, score, settings.rubric), 'score_audit', auditor),
      );
      if (audit.verdict === 'PASS' || attempt >= (settings.maxRescores ?? 2)) return { score, audit };
      corrections = [audit.corrections, ...audit.problems].filter(Boolean).join('\n');
    }
  }

  /** Writer, then auditor against BRAND_GUIDELINES; on FAIL the writer gets the corrections, at most twice. */
  async function writeAndAudit(
    ctx: RecipeContext,
    name: string,
    dossier: Dossier,
    prompt: (corrections?: string) => LlmPrompt,
  ): Promise<{ email: CardEmail; audit: EmailAudit }> {
    let corrections: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const suffix = attempt === 0 ? '' : `-${attempt}`;
      const email = await ctx.step(`write-${name}${suffix}`, (s) =>
        ask(s, Outreach, prompt(corrections), 'outreach'),
      );
      const audit = await ctx.step(`audit-${name}${suffix}`, (s) =>
        ask(s, EmailAudit, emailAuditPrompt(dossier, email, profile), 'email_audit', auditor),
      );
      if (audit.verdict === 'PASS' || attempt >= (settings.maxRewrites ?? 2)) return { email, audit };
      corrections = [audit.corrections, ...audit.problems].filter(Boolean).join('\n');
    }
  }
}

function tierOf(value: unknown): Tier | undefined {
  const word = typeof value === 'string' ? value : (value as { name?: string } | undefined)?.name;
  return word === 'Hot' || word === 'Nurture' ? word : undefined;
}

function lowConfidenceWhy(score: Score, audit: ScoreAudit, settings: LeadsSettings): string {
  if (audit.verdict === 'FAIL') return `The auditor still disagrees: ${audit.problems.join('; ')}`;
  return `Confidence ${score.confidence.toFixed(2)} is below ${settings.minConfidence}.`;
}

function auditComment(audit: EmailAudit): string {
  const lines = ['Audit failed after the allowed rewrites:', ...audit.problems.map((p) => `- ${p}`)];
  if (audit.corrections) lines.push(`Suggested: ${audit.corrections}`);
  return lines.join('\n');
}

/** The Status for each stage of the outreach's review. */
function outreachStatus(update: ReviewProgress): [string] {
  switch (update.kind) {
    case 'in-review':
    case 'revising':
    case 'not-sent':
      return [STATUS.hotInReview];
    case 'sent':
      return [STATUS.hotSent(update.at)];
    case 'rejected':
      return [STATUS.rejected];
    case 'expired':
      return [STATUS.expired];
    case 'do-not-contact':
      return [STATUS.unsubscribed];
  }
}

/** The booking and deck links are put in by code, not left to the model: an email without them is fixed. */
function withLinks(email: CardEmail, links: { booking?: string; deck?: string }): CardEmail {
  const lines: string[] = [];
  if (links.deck && !email.body.includes(links.deck)) lines.push(`A short deck made for you: ${links.deck}`);
  if (links.booking && !email.body.includes(links.booking))
    lines.push(`Book a time that suits you: ${links.booking}`);
  return lines.length
    ? { subject: email.subject, body: `${email.body.trimEnd()}\n\n${lines.join('\n')}` }
    : email;
}

/** What fills the deck's {{placeholders}}. */
function deckValues(dossier: Dossier, score: Score): Record<string, string> {
  return {
    name: dossier.lead.name,
    company: dossier.lead.company,
    sells: dossier.profile.sells,
    customers: dossier.profile.customers,
    fit: dossier.research.fit.join('; '),
    competitors: dossier.research.competitors.join(', '),
    reasons: score.reasons.join('; '),
  };
}

/** The record's address in Airtable's web app (the table's id, from the schema Baton already reads). */
async function airtableRecordUrl(airtable: AirtableClient, record: ClaimedRecord): Promise<string> {
  const table = await airtable.tableSchema(record.source);
  return `https://airtable.com/${record.source.base}/${table.id}/${record.recordId}`;
}
