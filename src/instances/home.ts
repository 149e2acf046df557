// The contract a source implements so Baton instances reading it can see each other.
import type { Heartbeat } from './heartbeat.ts';

/**
 * A place where Baton instances announce themselves: one per source they poll (a spreadsheet, a
 * board, an Airtable base). Connectors implement it; a trigger exposes its home as
 * `Trigger.instanceHome`, and triggers reading the same source share one home (same `id`).
 *
 * Every method throws the connector's own errors (auth, not found, service down); the caller
 * treats a failure to read as "cannot tell" and refuses to start rather than guess.
 */
export interface InstanceHome {
  /** Stable and shared by every trigger on the same source, e.g. `sheets:<spreadsheetId>`. */
  readonly id: string;
  /** How the source is named to a user, e.g. `spreadsheet 1AbC…`. */
  readonly label: string;
  /**
   * Least time between two renewals (default: every poll). Airtable sets 15 minutes: its monthly
   * call budget counts heartbeats too.
   */
  readonly renewEveryMs?: number;
  /** Every heartbeat found there, ours included, live or not (one read). */
  list(): Promise<Heartbeat[]>;
  /**
   * Writes `beat` as a new heartbeat and removes those of `replaces` (our own left by a killed
   * predecessor, stale ones taken over). Two instances may announce at once: the caller reads back.
   */
  announce(beat: Heartbeat, replaces: string[]): Promise<void>;
  /** Renews our heartbeat (one write); false when it is gone (another instance took over). */
  renew(beat: Heartbeat): Promise<boolean>;
  /** Removes the heartbeats of these instance ids (ours at a clean stop, or a lost race). */
  remove(ids: string[]): Promise<void>;
  /** Told this process's instance id once announced, so the connector can mark its claims with it. */
  joined?(selfId: string): void;
}
