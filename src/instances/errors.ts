// The error a second Baton instance on the same sheet or board gets: who the other one is.
import { BatonError } from '../engine/errors.ts';
import { describeHeartbeat, type Heartbeat } from './heartbeat.ts';

/**
 * Another live Baton instance (another data folder, maybe another host) announces itself on a
 * source this one would poll. `baton start` exits 78 on it, `baton run --once` 75.
 */
export class InstanceBusyError extends BatonError {
  override readonly name = 'InstanceBusyError';
  constructor(
    readonly home: string,
    readonly other: Heartbeat,
    now: number,
  ) {
    super(`Another Baton is working on ${home}: ${describeHeartbeat(other, now)}`, {
      hint: `run one Baton per sheet and board: stop that one first (a clean stop removes its heartbeat; after a crash it counts as stale ${Math.round(other.staleAfterMs / 60_000)} min after its last heartbeat)`,
    });
  }
}
