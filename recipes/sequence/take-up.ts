// Taking up an enrolment whose run was lost with the data folder: where to start (from the record),
// and what the first life already sent (from Gmail, by the marks its send keys left on the emails).
import type { AirtableClient, ClaimedRecord } from '../../connectors/airtable/index.ts';
import { NotFoundError } from '../../connectors/core/index.ts';
import type { GmailClient } from '../../connectors/gmail/index.ts';
import type { Clock } from '../../src/clock.ts';
import type { CardEmail } from '../shared/review/index.ts';
import { type SequenceStep, type Sequences, SequencesFileError } from './definition.ts';
import { withoutFooter } from './footer.ts';
import { freshStart, resumedStart, type StartPoint } from './resume.ts';
import { SEQUENCE_FIELDS as F } from './status.ts';

/** The thread the sequence writes in, once its first email went. */
export interface Thread {
  threadId: string;
  subject: string;
  /** The Message-ID of our latest email in it (a reviewed step's draft replies to it). */
  lastMessageId: string;
}

/** An email a step of the run's first life sent. */
export interface SentBefore {
  threadId: string;
  messageId: string;
  subject: string;
  body: string;
  /** ISO time it was sent. */
  at: string;
}

export interface TakeUpServices {
  airtable: AirtableClient;
  gmail: GmailClient;
  clock: Clock;
  sequences(): Sequences;
  /** SEQUENCE_UNSUBSCRIBE_TEXT, to take the footer off emails read back. */
  unsubscribeText(): string | undefined;
}

/** A step's part of its step ids (and so of its send's idempotency key): its `after`, e.g. `3d`. */
export const tagOf = (step: SequenceStep): string => step.after.replace(/[^a-z0-9.]/gi, '');

/** The idempotency keys a step's email may carry: sent on its own (`send-`) or after review (`draft-`). */
const sendKeys = (runId: string, tag: string) => [`${runId}:send-${tag}`, `${runId}:draft-${tag}`];

export function takeUp(services: TakeUpServices) {
  const { airtable, gmail } = services;

  /** The sequence's steps in the file now, or undefined when the file cannot be read. */
  function stepsNow(sequence: string): readonly SequenceStep[] | undefined {
    try {
      return services.sequences().get(sequence);
    } catch (err) {
      if (err instanceof SequencesFileError) return undefined;
      throw err;
    }
  }

  /**
   * The run's start: a first run writes `Sequence enrolled` now; a run re-created for a record an
   * earlier process enrolled (its data folder lost) starts after the steps the record says are done,
   * timed from the enrolment the record holds.
   */
  async function enrolment(record: ClaimedRecord, sequence: string, resumed: boolean): Promise<StartPoint> {
    const now = services.clock.now();
    const current = resumed ? await airtable.getRecord(record.source, record.recordId) : undefined;
    const start = current ? resumedStart(current.fields, stepsNow(sequence), now) : freshStart(now);
    if (current?.fields[F.enrolled]) return start;
    await airtable
      .updateRecords(record.source, [{ id: record.recordId, fields: { [F.enrolled]: start.enrolledAt } }], {
        typecast: true,
      })
      .catch((err: unknown) => {
        // A record deleted meanwhile: the first check before a send stops the run.
        if (!(err instanceof NotFoundError)) throw err;
      });
    return start;
  }

  /** The email the step tagged `tag` of run `runId` sent (on its own or reviewed), if any. */
  async function sentEarlier(
    runId: string,
    tag: string,
    to: string,
    threadId: string | undefined,
  ): Promise<SentBefore | undefined> {
    for (const key of sendKeys(runId, tag)) {
      const ref = await gmail.findSent(key, { to, ...(threadId ? { threadId } : {}) });
      if (!ref) continue;
      const message = await gmail.getMessage(ref.id);
      return {
        threadId: ref.threadId,
        messageId: ref.messageId,
        subject: message.subject.replace(/^re:\s*/i, ''),
        body: withoutFooter(message.text, services.unsubscribeText()),
        at: new Date(message.date).toISOString(),
      };
    }
    return undefined;
  }

  /** The thread a re-created run writes in, and what went in it: found from the latest of its first `done` steps that went out. */
  async function threadSoFar(
    runId: string,
    sequence: string,
    done: number,
    to: string,
  ): Promise<{ thread?: Thread; earlier: CardEmail[] }> {
    const steps = (stepsNow(sequence) ?? []).slice(0, done);
    for (const step of steps.reverse()) {
      const found = await sentEarlier(runId, tagOf(step), to, undefined);
      if (!found) continue;
      const { messages } = await gmail.getThread(found.threadId);
      const ours = messages.filter((m) => m.labelIds.includes('SENT'));
      return {
        thread: {
          threadId: found.threadId,
          subject: ours[0]?.subject ?? found.subject,
          lastMessageId: ours.at(-1)?.messageId ?? found.messageId,
        },
        earlier: ours.map((m) => ({
          subject: m.subject,
          body: withoutFooter(m.text, services.unsubscribeText()),
        })),
      };
    }
    return { earlier: [] };
  }

  return { enrolment, sentEarlier, threadSoFar };
}
