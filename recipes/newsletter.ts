// Newsletter: every NEWSLETTER_CRON (Mondays 09:00 in TZ) the model writes one issue from
// NEWSLETTER_BRIEF and the week's published posts, the auditor checks it, a person reviews it on a
// Trello card `Newsletter YYYY-Www`; approved, it goes to everyone in the Airtable view
// NEWSLETTER_VIEW, one email each greeting them by first name, within SEND_WINDOW and
// GMAIL_DAILY_LIMIT (a large list spreads over days), exactly once per person; then it is archived in
// Notion with the number sent.
import { z } from 'zod';
import type { AirtableClient } from '../connectors/airtable/index.ts';
import { ServiceError } from '../connectors/core/index.ts';
import type { GmailClient } from '../connectors/gmail/index.ts';
import type { NotionClient } from '../connectors/notion/index.ts';
import { errorMessage } from '../src/engine/errors.ts';
import { defineRecipe, type Recipe, type StepContext } from '../src/engine/index.ts';
import type { Llm } from '../src/llm/index.ts';
import type { Trigger } from '../src/triggers/index.ts';
import { readRecentPosts } from './newsletter/posts.ts';
import {
  FIRST_NAME,
  forReader,
  Issue,
  IssueAudit,
  issueAuditPrompt,
  issueEmail,
  issuePrompt,
  type Post,
} from './newsletter/prompts.ts';
import { occurrenceNote, SENT_COMMENT } from './newsletter/recover.ts';
import { readSubscribers, type Subscriber } from './newsletter/subscribers.ts';
import { issueTitle } from './newsletter/week.ts';
import { modelAsker } from './shared/ask.ts';
import type { BusinessProfile } from './shared/profile.ts';
import {
  type CardEmail,
  type ReviewServices,
  type ReviewSettings,
  reviewOnCard,
  withReviewerComment,
} from './shared/review/index.ts';
import {
  ContactCooldownError,
  DoNotContactError,
  SendingPausedError,
  unattendedEmail,
} from './shared/sending/index.ts';

export interface NewsletterServices extends Pick<ReviewServices, 'trello' | 'lists' | 'alert' | 'sendRules'> {
  airtable: AirtableClient;
  gmail: GmailClient;
  llm: Llm;
  /** The auditor's model (AUDITOR_MODEL); `llm` audits when absent. */
  auditor?: Llm;
  /** For the archive (NEWSLETTER_NOTION_DATABASE_ID) and the posts (CONTENT_NOTION_DATABASE_ID). */
  notion?: NotionClient;
  triggers: { schedule: Trigger; reviews: Trigger };
}

export interface NewsletterSettings {
  profile: BusinessProfile;
  /** NEWSLETTER_BRIEF. */
  brief: string;
  /** TZ: the issue's week is the scheduled time's week there. */
  zone: string;
  /** NEWSLETTER_TABLE and NEWSLETTER_VIEW in AIRTABLE_BASE_ID. */
  source: { base: string; table: string; view: string };
  /** NEWSLETTER_NOTION_DATABASE_ID: where each sent issue is archived. */
  archiveDatabase?: string;
  /** CONTENT_NOTION_DATABASE_ID: the content recipe's posts. */
  contentDatabase?: string;
  review: ReviewSettings;
  /** Rewrites after an audit FAIL before the card is flagged (default 2). */
  maxRewrites?: number;
}

/** A cron occurrence, as the schedule trigger hands it over. */
const NewsletterInput = z.object({ scheduledFor: z.iso.datetime() });
type NewsletterInput = z.output<typeof NewsletterInput>;

/** The run id inside a send step's key (`runId:send:address`): one waiting note per run and day. */
const ctxRunId = (key: string) => key.slice(0, key.indexOf(':send:'));

/** What one subscriber's send came to. */
type SendResult = { sent: string } | { skipped: string };

export function newsletterRecipe(
  services: NewsletterServices,
  settings: NewsletterSettings,
): Recipe<NewsletterInput, string> {
  const { airtable, gmail, llm, trello } = services;
  const auditor = services.auditor ?? llm;
  const { profile, brief } = settings;
  const ask = modelAsker(llm);

  return defineRecipe({
    name: 'newsletter',
    triggers: [services.triggers.schedule, services.triggers.reviews],
    input: NewsletterInput,
    async run(input, ctx) {
      const scheduled = Date.parse(input.scheduledFor);
      const title = issueTitle(scheduled, settings.zone);

      // 1. Material: the brief, and the posts published in the 7 days before the issue's time.
      const posts: Post[] = await ctx.step('posts', (step) => postsOfTheWeek(step, scheduled));

      // 2. One issue, written and audited; on FAIL the writer gets the corrections, at most twice.
      let corrections: string | undefined;
      let email: CardEmail;
      let audit: IssueAudit;
      for (let attempt = 0; ; attempt++) {
        const suffix = attempt === 0 ? '' : `-${attempt}`;
        const issue = await ctx.step(`write${suffix}`, (s) =>
          ask(s, Issue, issuePrompt(brief, title, posts, profile, corrections), 'newsletter_issue'),
        );
        email = issueEmail(issue, profile);
        const written = email;
        audit = await ctx.step(`audit${suffix}`, (s) =>
          ask(s, IssueAudit, issueAuditPrompt(written, brief, posts, profile), 'newsletter_audit', auditor),
        );
        if (audit.verdict === 'PASS' || attempt >= (settings.maxRewrites ?? 2)) break;
        corrections = [audit.corrections, ...audit.problems].filter(Boolean).join('\n');
      }

      // 3. A person reviews the whole issue on one card.
      const review = await reviewOnCard(ctx, services, settings.review, {
        title,
        email,
        labels: audit.verdict === 'FAIL' ? ['Audit failed'] : [],
        flagsComment: [
          'Audit failed after the allowed rewrites:',
          ...audit.problems.map((p) => `- ${p}`),
          ...(audit.corrections ? [`Suggested: ${audit.corrections}`] : []),
        ].join('\n'),
        note: `${occurrenceNote(input.scheduledFor)} · Approved: one email to each person in the Airtable view '${settings.source.view}', with ${FIRST_NAME} replaced by their first name.`,
        revise: async (step, onCard, comment) => {
          const prompt = withReviewerComment(issuePrompt(brief, title, posts, profile), onCard, comment);
          return issueEmail(await ask(step, Issue, prompt, 'newsletter_issue'), profile);
        },
        startOver: 'No issue goes out this week.',
      });
      if (review.outcome !== 'approved') return review.outcome;
      const approved = review.email;

      // 4. Who gets it, read once the issue is approved (the list as it is then).
      const subscribers = await ctx.step('subscribers', () => readSubscribers(airtable, settings.source));

      // 5. One email each, keyed by the address: exactly once across crashes and a lost data folder.
      let sent = 0;
      const skipped: string[] = [];
      for (const subscriber of subscribers) {
        const result = await ctx.step(`send:${subscriber.email}`, (step) =>
          sendTo(step, subscriber, approved, review.cardId, ctx.recipe),
        );
        if ('sent' in result) sent++;
        else skipped.push(`${subscriber.email} (${result.skipped})`);
      }

      // 6. The archive page and a note on the card.
      const archive = settings.archiveDatabase;
      if (archive && services.notion) {
        const notion = services.notion;
        await ctx.step('archive', async ({ idempotencyKey }) => {
          const source = await notion.dataSource(archive);
          const titleName = [...source.properties.values()].find((p) => p.type === 'title')?.name ?? 'Name';
          return notion.createPage({
            dataSource: archive,
            properties: { [titleName]: title, Subject: approved.subject, Sent: sent },
            markdown: approved.body,
            idempotencyKey,
          });
        });
      }
      await ctx.step('comment-sent', ({ idempotencyKey }) =>
        trello.commentOnCard(
          review.cardId,
          [
            `${SENT_COMMENT}${sent} of ${subscribers.length} subscribers.`,
            ...(skipped.length ? [`Not sent to: ${skipped.join(', ')}.`] : []),
          ].join(' '),
          { idempotencyKey },
        ),
      );
      return `sent ${sent}`;
    },

    async onFailure({ runId }) {
      await services.alert?.(`The newsletter run failed: see \`baton show ${runId}\``);
    },
  });

  /** The content recipe's posts of the week; a database Baton cannot read as expected yields none. */
  async function postsOfTheWeek(step: StepContext, scheduled: number): Promise<Post[]> {
    const { contentDatabase } = settings;
    const notion = services.notion;
    if (!contentDatabase || !notion) return [];
    try {
      const { posts, note } = await readRecentPosts(notion, contentDatabase, scheduled);
      if (note) step.annotate({ postsSkipped: note });
      return posts;
    } catch (err) {
      // A database that is gone or not shared is not worth missing the week for.
      if (err instanceof ServiceError && !err.retryable) {
        step.annotate({ postsSkipped: errorMessage(err) });
        return [];
      }
      throw err;
    }
  }

  /** One subscriber's email: dressed for unattended mail, sent within the sending manners. */
  async function sendTo(
    step: StepContext,
    subscriber: Subscriber,
    approved: CardEmail,
    cardId: string,
    recipe: string,
  ): Promise<SendResult> {
    const to = subscriber.email;
    const key = step.idempotencyKey;
    try {
      return await services.sendRules.send({ to, recipe, key, unattended: true }, async () => {
        const dressed = unattendedEmail(
          forReader(approved.body, subscriber.firstName),
          services.sendRules.settings,
          await gmail.senderAddress(),
        );
        const draft = await gmail.createDraft({
          to,
          subject: approved.subject,
          text: dressed.text,
          listUnsubscribe: dressed.listUnsubscribe,
          idempotencyKey: key,
        });
        const done = await gmail.sendDraft(draft, { to });
        return { sent: done.id };
      });
    } catch (err) {
      if (err instanceof DoNotContactError) return { skipped: 'unsubscribed' };
      // Written to by another recipe within CONTACT_COOLDOWN: a late issue is not worth it, skipped.
      if (err instanceof ContactCooldownError) {
        // Skipped, not waiting: it leaves the cap's line.
        await services.sendRules.withdrawn(key);
        return { skipped: `emailed by ${err.last.recipe} lately` };
      }
      if (err instanceof SendingPausedError && err.why === 'daily-limit') {
        // Said once on the card (the comment's key is the first paused send's), then it waits.
        await trello
          .commentOnCard(
            cardId,
            `GMAIL_DAILY_LIMIT reached: the rest of this issue waits (${err.message}) and goes out then, with nothing for you to do.`,
            { idempotencyKey: `${ctxRunId(key)}:waits:${new Date(err.until).toISOString().slice(0, 10)}` },
          )
          .catch((e: unknown) => step.annotate({ waitCommentFailed: errorMessage(e) }));
      }
      throw err;
    }
  }
}
