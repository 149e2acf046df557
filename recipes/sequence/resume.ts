// Where an enrolment's run starts: at step 1 the first time, or (a run re-created after the data folder
// was lost) after the steps the record's `Sequence status` says are done, timed from the enrolment.
import type { SequenceStep } from './definition.ts';
import { SEQUENCE_FIELDS as F, SEQUENCE_STATUS } from './status.ts';

export interface StartPoint {
  /** ISO time the enrolment began: every step is due this long after it. */
  enrolledAt: string;
  /** Steps already gone through (sent or skipped), as the status counts them. */
  done: number;
  /** The `after` of the last step gone through (-1: none yet). */
  lastAfterMs: number;
  /** The run was re-created for a record an earlier process had enrolled. */
  resumed: boolean;
  /** The status said a card was waiting: the next step goes to review again, never out on its own. */
  inReview: boolean;
}

const STEP_SENT = /^Step (\d+) of \d+ sent (\d{4}-\d\d-\d\d) (\d\d:\d\d) UTC$/;
const STEP_SKIPPED = /^Skipped: step (\d+) /;

/** The first life of an enrolment, starting now. */
export function freshStart(now: number): StartPoint {
  return {
    enrolledAt: new Date(now).toISOString(),
    done: 0,
    lastAfterMs: -1,
    resumed: false,
    inReview: false,
  };
}

/**
 * The start of a run re-created for a record already enrolled, from what the record holds: the steps
 * done from `Sequence status`, the enrolment from `Sequence enrolled` (or, for a record written before
 * that field existed, step N's send time minus step N's `after`; else now). `steps` is the sequence in
 * the file as it is now (undefined when it cannot be read: the run starts over, its sends are found).
 */
export function resumedStart(
  fields: Record<string, unknown>,
  steps: readonly SequenceStep[] | undefined,
  now: number,
): StartPoint {
  const status = String(fields[F.status] ?? '').trim();
  const sent = STEP_SENT.exec(status);
  const skipped = STEP_SKIPPED.exec(status);
  const done = Number(sent?.[1] ?? skipped?.[1] ?? 0);
  const last = done > 0 && steps && steps.length > 0 ? steps[Math.min(done, steps.length) - 1] : undefined;
  const recorded = Date.parse(String(fields[F.enrolled] ?? ''));
  const sentAt = sent ? Date.parse(`${sent[2]}T${sent[3]}:00Z`) : Number.NaN;
  const enrolledAt = Number.isFinite(recorded)
    ? recorded
    : last && Number.isFinite(sentAt)
      ? sentAt - last.afterMs
      : now;
  return {
    enrolledAt: new Date(enrolledAt).toISOString(),
    done: last ? done : 0,
    lastAfterMs: last ? last.afterMs : -1,
    resumed: true,
    inReview: status === SEQUENCE_STATUS.waitingForReview,
  };
}
