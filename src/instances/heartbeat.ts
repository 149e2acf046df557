// What an instance announces where others reading the same sources will see it, and when that counts as live.
import { hostname } from 'node:os';
import { z } from 'zod';

/** One Baton instance's announcement, as stored in a source (JSON in a metadata value, a card, a record). */
export const Heartbeat = z.object({
  /** Stable per data folder (kept in `<dataDir>/instance.json`). */
  id: z.string().min(1),
  host: z.string(),
  dataDir: z.string(),
  pid: z.number().int(),
  /** When this instance started announcing itself (ms): of two newcomers, the earlier stays. */
  startedAt: z.number(),
  /** Last renewal (ms, the writer's clock). */
  beatAt: z.number(),
  /** How long after `beatAt` the writer's heartbeat counts as stale (it knows its own poll interval). */
  staleAfterMs: z.number().int().positive(),
  /**
   * Scale-out: the Redis group the instance coordinates through (src/scale `redisGroup`). Instances
   * of one group are one Baton and accept each other on a source; absent, the instance is alone.
   */
  group: z.string().min(1).optional(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

/** The least time before a heartbeat is stale, whatever the poll interval. */
export const MIN_STALE_AFTER_MS = 2 * 60_000;

/**
 * When a heartbeat renewed every `renewMs` counts as stale: max(3 × renewMs, 2 min). Three missed
 * renewals, so one slow poll or a short outage of the service is not a takeover.
 */
export function staleAfter(renewMs: number): number {
  return Math.max(3 * renewMs, MIN_STALE_AFTER_MS);
}

/** Parses a stored heartbeat; undefined for anything else (a hand-edited or foreign value). */
export function parseHeartbeat(text: string | undefined): Heartbeat | undefined {
  if (text === undefined) return undefined;
  try {
    return Heartbeat.safeParse(JSON.parse(text)).data;
  } catch {
    return undefined;
  }
}

/**
 * True while `beat` stands for a running instance: renewed within its `staleAfterMs`, and (when it
 * was written on this host by another pid) that pid still runs. A heartbeat of this very pid is
 * judged by age only: containers reuse pid 1, and tests run several instances in one process.
 */
export function isLive(beat: Heartbeat, now: number): boolean {
  if (now - beat.beatAt > beat.staleAfterMs) return false;
  if (beat.host === hostname() && beat.pid !== process.pid && !pidRuns(beat.pid)) return false;
  return true;
}

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `beat` belongs to the scale-out `group` (never when either has none). */
export function inGroup(beat: Heartbeat, group: string | undefined): boolean {
  return group !== undefined && beat.group === group;
}

/** How a heartbeat is named in messages: who, where, and how fresh. */
export function describeHeartbeat(beat: Heartbeat, now: number): string {
  const ago = Math.max(0, Math.round((now - beat.beatAt) / 1000));
  return `instance ${beat.id} on host ${beat.host}, data folder ${beat.dataDir} (pid ${beat.pid}), last heartbeat ${new Date(beat.beatAt).toISOString()} (${ago} s ago)`;
}
