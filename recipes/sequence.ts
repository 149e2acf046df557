// Sequences: a person enrolled from an Airtable table (`Sequence` set, `Sequence status` empty) gets
// the steps of that sequence from the sequences file, each at its time after enrolment, in one Gmail
// thread. The model writes each email from the step's brief; the auditor checks it. PASS → sent
// without a person (inside SEND_WINDOW, within GMAIL_DAILY_LIMIT); FAIL, low confidence, or
// SEQUENCE_REVIEW_ALL → the shared Trello review. A reply, an unsubscribe, or a person clearing
// `Sequence` stops it. One run per enrolment, sleeping durably between steps.
import { z } from 'zod';
import {
  type AirtableClient,
  type ClaimedRecord,
  formula,
  setRecordStatus,
  type TableRef,
} from '../connectors/airtable/index.ts';
import { NotFoundError } from '../connectors/core/index.ts';
import {
  type GmailClient,
  type GmailReply,
  gmailReplyWait,
  type SentRef,
} from '../connectors/gmail/index.ts';
import type { NotionClient } from '../connectors/notion/index.ts';
import type { Clock } from '../src/clock.ts';
import { defineRecipe, type Recipe, type RecipeContext, SuspendUntilError } from '../src/engine/index.ts';
import type { Llm } from '../src/llm/index.ts';
import type { Trigger } from '../src/triggers/index.ts';
import { STATUS as LEAD_STATUS } from './leads.ts';
import { type SequenceStep, type Sequences, SequencesFileError } from './sequence/definition.ts';
import { dossierLink, readDossier } from './sequence/dossier.ts';
import { withoutFooter } from './sequence/footer.ts';
import {
  type Person,
  SequenceAudit,
  SequenceEmail,
  type StepBrief,
  stepAuditPrompt,
  stepPrompt,
} from './sequence/prompts.ts';
import { SEQUENCE_FIELDS as F, SEQUENCE_STATUS as STATUS } from './sequence/status.ts';
import { type Thread, tagOf, takeUp } from './sequence/take-up.ts';
import { modelAsker } from './shared/ask.ts';
import type { BusinessProfile } from './shared/profile.ts';
import {
  type CardEmail,
  type ReviewServices,
  type ReviewSettings,
  reviewAndSend,
  withReviewerComment,
} from './shared/review/index.ts';
import {
  DoNotContactError,
  isUnsubscribeReply,
  type SendRequest,
  UNSUBSCRIBED_FIELD,
  unattendedEmail,
} from './shared/sending/index.ts';

export interface SequenceServices extends ReviewServices {
  airtable: AirtableClient;
  gmail: GmailClient;
  llm: Llm;
  /** The auditor's model (AUDITOR_MODEL); `llm` audits when absent. */
  auditor?: Llm;
  /** Reads the lead's Notion dossier (NOTION_TOKEN); without it the writer sees only the record. */
  notion?: NotionClient;
  clock: Clock;
  /** The sequences file as it is now (read again before every step). @throws SequencesFileError */
  sequences(): Sequences;
  /** One records trigger per table, the review board, the Gmail reply watcher. */
  triggers: Trigger[];
}

export interface SequenceSettings {
  profile: BusinessProfile;
  review: ReviewSettings;
  /** SEQUENCE_REVIEW_ALL: every email goes through the review board. */
  reviewAll: boolean;
  /** An audit less sure than this goes to a person (default 0.7). */
  minConfidence?: number;
  /** Rewrites after an audit FAIL (default 2). */
  maxRewrites?: number;
  /** Every table an unsubscribe reply ticks `Unsubscribed` in (the sequence tables and the leads table). */
  unsubscribeTables: readonly TableRef[];
  /** The leads table's name: a reply there also sets the lead's `Status` to `Replied …`. */
  leadsTable?: string;
  /** BOOKING_URL, for a step whose brief offers a call. */
  bookingUrl?: string;
  /** How long a file that cannot be read holds a run before it looks again (default 1 h). */
  fileRetryMs?: number;
}

const SequenceInput = z
  .object({
    recordId: z.string(),
    token: z.string().optional(),
    source: z
      .object({
        base: z.string(),
        table: z.string(),
        statusField: z.string(),
        claimStatus: z.string(),
        view: z.string().optional(),
      })
      .transform((s) => s as ClaimedRecord['source']),
    fields: z
      .record(z.string(), z.unknown())
      .refine((f) => typeof f[F.sequence] === 'string' && f[F.sequence] !== '', { error: 'no Sequence' })
      .refine((f) => typeof f[F.email] === 'string' && /^[^\s@]+@[^\s@]+$/.test(String(f[F.email]).trim()), {
        error: 'no valid Email',
      }),
  })
  .transform((item) => ({
    record: { recordId: item.recordId, source: item.source, ...(item.token ? { token: item.token } : {}) },
    sequence: String(item.fields[F.sequence]).trim(),
    person: toPerson(item.fields),
    dossier: dossierLink(item.fields),
  }));
type SequenceInput = z.output<typeof SequenceInput>;

/** Cells that are Baton's bookkeeping, not facts about the person. */
const NOT_FACTS = new Set<string>([
  F.sequence,
  F.status,
  F.unsubscribed,
  F.email,
  F.name,
  F.run,
  F.enrolled,
  F.dossier,
  'Baton Run',
  'Status detail',
]);

function toPerson(fields: Record<string, unknown>): Person {
  const facts: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (NOT_FACTS.has(name) || value === null || value === undefined || value === '') continue;
    const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
    if (text) facts.push(`${name}: ${text.replace(/\s+/g, ' ').slice(0, 500)}`);
  }
  return { name: String(fields[F.name] ?? '').trim(), email: String(fields[F.email]).trim(), facts };
}

/** Why a sequence stops, found right before a send. */
type Stop =
  | { kind: 'replied'; at: string; snippet: string }
  | { kind: 'unsubscribe-reply'; at: string }
  | { kind: 'unsubscribed' }
  | { kind: 'cleared' };

type SendResult = { stop: Stop } | { ref: SentRef };

const iso = (at: Date | string) => new Date(at).toISOString();

export function sequenceRecipe(
  services: SequenceServices,
  settings: SequenceSettings,
): Recipe<SequenceInput, string> {
  const { airtable, gmail, llm } = services;
  const auditor = services.auditor ?? llm;
  const { profile } = settings;
  const minConfidence = settings.minConfidence ?? 0.7;
  const ask = modelAsker(llm);
  const { enrolment, sentEarlier, threadSoFar } = takeUp({
    airtable,
    gmail,
    clock: services.clock,
    sequences: services.sequences,
    unsubscribeText: () => services.sendRules.settings.unsubscribeText,
  });

  return defineRecipe({
    name: 'sequence',
    triggers: services.triggers,
    input: SequenceInput,
    concurrency: 4,
    async run({ record, sequence, person, dossier }, ctx) {
      const status = (text: string, fields: Record<string, unknown> = {}) =>
        setRecordStatus(airtable, record, text, fields);
      // Where this run starts: step 1, or (the data folder was lost) after the steps the record says are done.
      const start = await ctx.step('enrol', ({ runResumed }) => enrolment(record, sequence, runResumed));
      const enrolledAt = new Date(start.enrolledAt);
      let lastAfterMs = start.lastAfterMs;
      /** Steps this run went through (sent or skipped): the status counts them, whatever the file says now. */
      let done = start.done;
      // The thread and emails of the run's first life, read back from Gmail by their marks.
      const before = start.resumed
        ? await ctx.step('find-thread', () => threadSoFar(ctx.runId, sequence, start.done, person.email))
        : undefined;
      let thread: Thread | undefined = before?.thread;
      const earlier: CardEmail[] = before?.earlier ?? [];
      /** Re-created after a loss: each next step may have gone out already, so look before writing it. */
      let catchingUp = start.resumed;
      let inReview = start.inReview;

      /** Everything that stops the sequence, read now: the record, then replies in the thread. */
      const stopReason = async (): Promise<Stop | undefined> => {
        const now = await airtable.getRecord(record.source, record.recordId);
        if (!now) return { kind: 'cleared' };
        if (now.fields[UNSUBSCRIBED_FIELD] === true) return { kind: 'unsubscribed' };
        if (String(now.fields[F.sequence] ?? '').trim() !== sequence) return { kind: 'cleared' };
        if (!thread) return undefined;
        const replies = await gmail.repliesIn(thread.threadId, { after: enrolledAt, from: person.email });
        return replies.length > 0 ? classify(thread.threadId, replies) : undefined;
      };

      for (let k = 0; ; k++) {
        const plan = await ctx.step(`plan-${k}`, () => planNext(sequence, lastAfterMs, done));
        if (plan.kind === 'missing') {
          await ctx.step('status-missing', () =>
            status(STATUS.skipped(`no sequence '${sequence}' in the sequences file`)),
          );
          return 'no such sequence';
        }
        if (plan.kind === 'done') {
          const at = await ctx.now();
          await ctx.step('status-completed', () => status(STATUS.completed(at)));
          return 'completed';
        }
        const { step, number, of } = plan;
        const due = enrolledAt.getTime() + step.afterMs;
        const now = (await ctx.now()).getTime();
        if (due > now) {
          // Asleep until the step is due; a reply in the thread wakes the run at once.
          if (thread) {
            const replies = await ctx.waitFor<GmailReply[]>(
              `wait-${k}`,
              gmailReplyWait(gmail, {
                threadId: thread.threadId,
                after: enrolledAt,
                from: person.email,
                timeout: new Date(due),
              }),
            );
            if (replies && replies.length > 0) {
              const threadId = thread.threadId;
              const stop = await ctx.step(`classify-reply-${k}`, () => classify(threadId, replies));
              return stopped(ctx, stop, record, person, `${k}`);
            }
          } else {
            await ctx.sleep(`wait-${k}`, new Date(due));
          }
          continue; // the file is read again: the step may have changed meanwhile
        }

        const tag = tagOf(step);
        const brief: StepBrief = {
          sequence,
          number,
          of,
          brief: step.brief,
          ...(step.subject ? { subject: step.subject } : {}),
          ...(thread ? { threadSubject: thread.subject } : {}),
          earlier: [...earlier],
        };
        if (catchingUp) {
          // Sent by the run's first life (its status write lost with it): counted, never sent again.
          const threadId = thread?.threadId;
          const found = await ctx.step(`sent-before-${tag}`, () =>
            sentEarlier(ctx.runId, tag, person.email, threadId),
          );
          if (found) {
            thread = thread
              ? { ...thread, lastMessageId: found.messageId }
              : { threadId: found.threadId, subject: found.subject, lastMessageId: found.messageId };
            // (The thread read at the start may hold it already.)
            if (!earlier.some((e) => e.body === found.body))
              earlier.push({ subject: thread.subject, body: found.body });
            lastAfterMs = step.afterMs;
            done++;
            await ctx.step(`status-sent-${tag}`, () =>
              status(STATUS.stepSent(number, of, new Date(found.at))),
            );
            continue;
          }
          catchingUp = false;
        }
        // Nothing is written for someone who already stopped.
        const stopNow = await ctx.step(`check-${tag}`, stopReason);
        if (stopNow) return stopped(ctx, stopNow, record, person, tag);

        // The dossier as it is now (a person may have added to it since the last email).
        const dossierText = await ctx.step(`dossier-${tag}`, () =>
          readDossier(services.notion, dossier, ctx.log),
        );
        const writer: Person = dossierText ? { ...person, dossier: dossierText } : person;
        const { email, audit } = await writeAndAudit(ctx, tag, writer, brief);
        const subject = thread ? thread.subject : email.subject;
        // A card the lost run left waiting is decided on the board: this step never also goes out alone.
        const needsPerson =
          inReview || settings.reviewAll || audit.verdict === 'FAIL' || audit.confidence < minConfidence;
        inReview = false;
        let sent: { at: Date; ref: SentRef; email: CardEmail } | undefined;

        if (!needsPerson) {
          // Checked by the auditor: sent without a person, exactly once, at its time, in the thread.
          const result = await ctx.step(`send-${tag}`, async ({ idempotencyKey }): Promise<SendResult> => {
            const stop = await stopReason();
            if (stop) {
              // Held by the cap earlier, perhaps: it leaves the line for good.
              await services.sendRules.withdrawn(idempotencyKey);
              return { stop };
            }
            try {
              const ref = await services.sendRules.send(
                { to: person.email, recipe: ctx.recipe, key: idempotencyKey, unattended: true },
                async () => {
                  const dressed = unattendedEmail(
                    email.body,
                    services.sendRules.settings,
                    await gmail.senderAddress(),
                  );
                  if (thread) {
                    return gmail.sendReply({
                      threadId: thread.threadId,
                      to: person.email,
                      subject: thread.subject,
                      text: dressed.text,
                      listUnsubscribe: dressed.listUnsubscribe,
                      idempotencyKey,
                    });
                  }
                  const draft = await gmail.createDraft({
                    to: person.email,
                    subject,
                    text: dressed.text,
                    listUnsubscribe: dressed.listUnsubscribe,
                    idempotencyKey,
                  });
                  return draft.status === 'sent' ? draft : gmail.sendDraft(draft);
                },
              );
              return { ref };
            } catch (err) {
              if (err instanceof DoNotContactError) return { stop: { kind: 'unsubscribed' } };
              throw err;
            }
          });
          if ('stop' in result) return stopped(ctx, result.stop, record, person, tag);
          const at = await ctx.now();
          sent = { at, ref: result.ref, email: { subject, body: email.body } };
        } else {
          const outcome = await review(ctx, tag, record, writer, brief, email, audit, thread, stopReason);
          if (outcome.kind === 'stop') return stopped(ctx, outcome.stop, record, person, tag);
          if (outcome.kind === 'sent') sent = { at: outcome.at, ref: outcome.ref, email: outcome.email };
        }

        lastAfterMs = step.afterMs;
        done++;
        if (sent) {
          const ref = sent.ref;
          thread = thread
            ? { ...thread, lastMessageId: ref.messageId }
            : { threadId: ref.threadId, subject: sent.email.subject, lastMessageId: ref.messageId };
          earlier.push(sent.email);
          const at = sent.at;
          await ctx.step(`status-sent-${tag}`, () => status(STATUS.stepSent(number, of, at)));
        }
      }
    },

    // A run that failed for good says so on the record, with the command that shows why.
    async onFailure({ input, runId }) {
      await setRecordStatus(airtable, input.record, STATUS.failed(runId));
    },
  });

  /**
   * The next step after `lastAfterMs` in the file as it is now (a removed step is simply not there),
   * numbered after the `done` ones: `Step 2 of 3` counts what this person got, then what is left.
   */
  function planNext(
    name: string,
    lastAfterMs: number,
    done: number,
  ):
    | { kind: 'missing' }
    | { kind: 'done' }
    | { kind: 'step'; step: SequenceStep; number: number; of: number } {
    let sequences: Sequences;
    try {
      sequences = services.sequences();
    } catch (err) {
      if (!(err instanceof SequencesFileError)) throw err;
      // A broken edit holds every run until it is fixed: nothing is sent from a file Baton cannot read.
      throw new SuspendUntilError(
        `${err.message} (fix the file; the sequence goes on then)`,
        services.clock.now() + (settings.fileRetryMs ?? 3_600_000),
      );
    }
    const steps = sequences.get(name);
    if (!steps) return { kind: 'missing' };
    const index = steps.findIndex((s) => s.afterMs > lastAfterMs);
    if (index < 0) return { kind: 'done' };
    return { kind: 'step', step: steps[index]!, number: done + 1, of: done + steps.length - index };
  }

  /** The replies as a stop: an unsubscribe (its own words, or the List-Unsubscribe subject) or a reply. */
  async function classify(threadId: string, replies: GmailReply[]): Promise<Stop> {
    const messages = (await gmail.getThread(threadId)).messages;
    for (const reply of replies) {
      const text = messages.find((m) => m.id === reply.id)?.text ?? reply.snippet;
      if (isUnsubscribeReply({ subject: reply.subject, text }))
        return { kind: 'unsubscribe-reply', at: iso(reply.at) };
    }
    const first = replies[0]!;
    return { kind: 'replied', at: iso(first.at), snippet: first.snippet };
  }

  /** Ends the run for `stop`, with the status, the ping, and (an unsubscribe) the ticks everywhere. */
  async function stopped(
    ctx: RecipeContext,
    stop: Stop,
    record: ClaimedRecord,
    person: Person,
    tag: string,
  ): Promise<string> {
    const write = (text: string, fields: Record<string, unknown> = {}) =>
      setRecordStatus(airtable, record, text, fields).catch((err: unknown) => {
        // A record deleted by a person has nothing left to say.
        if (err instanceof NotFoundError) return undefined;
        throw err;
      });
    switch (stop.kind) {
      case 'replied': {
        const at = new Date(stop.at);
        const isLead = settings.leadsTable !== undefined && record.source.table === settings.leadsTable;
        await ctx.step(`status-replied-${tag}`, () =>
          write(STATUS.replied(at), isLead ? { [F.leadStatus]: LEAD_STATUS.replied(at) } : {}),
        );
        await ctx.step(`alert-replied-${tag}`, () =>
          services.alert?.(
            `${person.name || person.email} replied to the sequence: “${stop.snippet.slice(0, 200)}”`,
          ),
        );
        return 'replied';
      }
      case 'unsubscribe-reply':
        await ctx.step(`unsubscribe-${tag}`, async () => {
          await services.sendRules.addDoNotContact(
            person.email,
            `replied unsubscribe ${stop.at.slice(0, 10)}`,
          );
          await tickUnsubscribed(person.email);
        });
        await ctx.step(`status-unsubscribed-${tag}`, () => write(STATUS.unsubscribed));
        return 'unsubscribed';
      case 'unsubscribed':
        await ctx.step(`status-unsubscribed-${tag}`, () => write(STATUS.unsubscribed));
        return 'unsubscribed';
      case 'cleared':
        await ctx.step(`status-cleared-${tag}`, () => write(STATUS.skipped('Sequence cleared')));
        return 'cleared';
    }
  }

  /** Ticks `Unsubscribed` on every record with this address, in every configured table. */
  async function tickUnsubscribed(address: string): Promise<void> {
    const wanted = address.trim().toLowerCase();
    for (const table of settings.unsubscribeTables) {
      const found = await airtable
        .listAll(table, {
          filterByFormula: `LOWER(TRIM(${formula.field(F.email)})) = ${formula.text(wanted)}`,
          fields: [F.email],
        })
        .catch((err: unknown) => {
          // A default table that does not exist (no customer pathway yet) has no one to tick.
          if (err instanceof NotFoundError) return [];
          throw err;
        });
      if (found.length === 0) continue;
      await airtable.updateRecords(
        table,
        found.map((r) => ({ id: r.id, fields: { [UNSUBSCRIBED_FIELD]: true } })),
      );
    }
  }

  /** The review card: Approved sends the card's text, Rejected skips the step, Needs changes rewrites. */
  async function review(
    ctx: RecipeContext,
    tag: string,
    record: ClaimedRecord,
    person: Person,
    brief: StepBrief,
    email: CardEmail,
    audit: SequenceAudit,
    thread: Thread | undefined,
    stopReason: () => Promise<Stop | undefined>,
  ): Promise<
    | { kind: 'sent'; at: Date; ref: SentRef; email: CardEmail }
    | { kind: 'skipped' }
    | { kind: 'stop'; stop: Stop }
  > {
    const settingsNow = services.sendRules.settings;
    const subject = thread ? `Re: ${thread.subject.replace(/^re:\s*/i, '')}` : email.subject;
    const dress = async (body: string) => unattendedEmail(body, settingsNow, await gmail.senderAddress());
    const draft = await ctx.step(`draft-${tag}`, async ({ idempotencyKey }) => {
      const dressed = await dress(email.body);
      return gmail.createDraft({
        to: person.email,
        subject,
        text: dressed.text,
        listUnsubscribe: dressed.listUnsubscribe,
        ...(thread
          ? { threadId: thread.threadId, inReplyTo: thread.lastMessageId, references: [thread.lastMessageId] }
          : {}),
        idempotencyKey,
      });
    });
    if (draft.status === 'sent') {
      // Sent by an earlier run whose records were lost: never twice.
      return {
        kind: 'sent',
        at: await ctx.now(),
        ref: draft,
        email: { subject: thread?.subject ?? subject, body: email.body },
      };
    }
    const labels =
      audit.verdict === 'FAIL'
        ? ['Audit failed']
        : audit.confidence < minConfidence
          ? ['Low confidence']
          : [];
    const body = await ctx.step(`dressed-${tag}`, async () => (await dress(email.body)).text);
    const who = person.name || person.email;
    // An approval is a send too: the stops are checked right before it (a reply while the card waited).
    const beforeSend = async (request: SendRequest) => {
      const stop = await stopReason();
      if (!stop) return;
      await services.sendRules.withdrawn(request.key);
      throw new SequenceStoppedError(person.email, stopWords(stop));
    };
    const outcome = await reviewAndSend(ctx, { ...services, beforeSend }, settings.review, {
      draft,
      to: person.email,
      email: { subject, body },
      card: {
        title: `Sequence ${brief.sequence} ${brief.number}/${brief.of}: ${who}`,
        labels,
        flagsComment: auditComment(audit),
        alert: `Sequence email ${brief.number} of ${brief.of} to ${who} needs a closer look`,
      },
      revise: async (step, onCard, comment) => {
        const plain = {
          subject: onCard.subject,
          body: withoutFooter(onCard.body, settingsNow.unsubscribeText),
        };
        const rewritten = await ask(
          step,
          SequenceEmail,
          withReviewerComment(
            stepPrompt(person, brief, profile, undefined, settings.bookingUrl),
            plain,
            comment,
          ),
          'sequence_email',
        );
        return { subject: thread ? subject : rewritten.subject, body: (await dress(rewritten.body)).text };
      },
      progress: async (update) => {
        if (update.kind === 'in-review' || update.kind === 'revising') {
          await setRecordStatus(airtable, record, STATUS.waitingForReview);
        }
        if (update.kind === 'rejected')
          await setRecordStatus(airtable, record, STATUS.skipped(`step ${brief.number} rejected in review`));
        if (update.kind === 'expired')
          await setRecordStatus(
            airtable,
            record,
            STATUS.skipped(`step ${brief.number} not reviewed in time`),
          );
      },
      startOver: 'This step is skipped; the sequence goes on with the next one.',
      stepPrefix: `${tag}-`,
    });
    if (outcome.outcome === 'sent') {
      const sentEmail = {
        subject: thread?.subject ?? outcome.email.subject,
        body: withoutFooter(outcome.email.body, settingsNow.unsubscribeText),
      };
      return { kind: 'sent', at: outcome.at, ref: outcome.sent, email: sentEmail };
    }
    if (outcome.outcome === 'not-sent') {
      const stop = await ctx.step(`stop-after-review-${tag}`, stopReason);
      return { kind: 'stop', stop: stop ?? { kind: 'unsubscribed' } };
    }
    return { kind: 'skipped' };
  }

  /** Writer, then auditor against BRAND_GUIDELINES; on FAIL the writer gets the corrections, at most twice. */
  async function writeAndAudit(
    ctx: RecipeContext,
    tag: string,
    person: Person,
    brief: StepBrief,
  ): Promise<{ email: CardEmail; audit: SequenceAudit }> {
    let corrections: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const suffix = attempt === 0 ? '' : `-${attempt}`;
      const email = await ctx.step(`write-${tag}${suffix}`, (s) =>
        ask(
          s,
          SequenceEmail,
          stepPrompt(person, brief, profile, corrections, settings.bookingUrl),
          'sequence_email',
        ),
      );
      const audit = await ctx.step(`audit-${tag}${suffix}`, (s) =>
        ask(s, SequenceAudit, stepAuditPrompt(person, brief, email, profile), 'sequence_audit', auditor),
      );
      if (audit.verdict === 'PASS' || attempt >= (settings.maxRewrites ?? 2)) return { email, audit };
      corrections = [audit.corrections, ...audit.problems].filter(Boolean).join('\n');
    }
  }
}

/** A card approved for someone the sequence no longer writes to: the review flow says so on the card. */
class SequenceStoppedError extends DoNotContactError {
  constructor(address: string, why: string) {
    super(address, 'the sequence');
    this.message = `the sequence to ${address} stopped: ${why}`;
  }
}

function stopWords(stop: Stop): string {
  switch (stop.kind) {
    case 'replied':
      return `they replied on ${stop.at.slice(0, 10)}`;
    case 'unsubscribe-reply':
      return 'they replied asking to unsubscribe';
    case 'unsubscribed':
      return 'Unsubscribed is ticked';
    case 'cleared':
      return 'Sequence was cleared';
  }
}

function auditComment(audit: SequenceAudit): string {
  const head =
    audit.verdict === 'FAIL'
      ? 'Audit failed after the allowed rewrites:'
      : `The auditor passed it with confidence ${audit.confidence.toFixed(2)}${audit.problems.length ? ':' : '.'}`;
  const lines = [head, ...audit.problems.map((p) => `- ${p}`)];
  if (audit.corrections) lines.push(`Suggested: ${audit.corrections}`);
  return lines.join('\n');
}
