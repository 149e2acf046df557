// Joins, renews and leaves the heartbeats of one Baton instance on every source its triggers poll.
import { hostname } from 'node:os';
import { type Clock, systemClock } from '../clock.ts';
import { type Logger, silentLogger } from '../log.ts';
import { InstanceBusyError } from './errors.ts';
import { describeHeartbeat, type Heartbeat, inGroup, isLive, staleAfter } from './heartbeat.ts';
import type { InstanceHome } from './home.ts';

/**
 * Renewals are at least this far apart, however short the poll interval: a heartbeat is stale only
 * after 2 minutes anyway, and each renewal is a write against the service's budget.
 */
const MIN_RENEW_GAP_MS = 30_000;

/** A home and the longest poll interval of the triggers reading that source. */
export interface GuardedHome {
  home: InstanceHome;
  intervalMs: number;
}

export interface InstanceGuardOptions {
  homes: GuardedHome[];
  /** This data folder's instance id (`instanceIdOf`). */
  id: string;
  dataDir: string;
  clock?: Clock;
  log?: Logger;
  /** Wait between announcing and reading back, so a competing announcement lands first (default 1000 ms). */
  settleMs?: number;
  /** Another live instance took over our heartbeat: this one must stop polling. */
  onDisplaced?(err: InstanceBusyError): void;
  /**
   * Scale-out (BATON_REDIS_URL): this instance's Redis group (src/scale `redisGroup`). Live instances
   * announcing the same group are the same Baton, coordinating in Redis: they are accepted beside
   * this one instead of refused, and their heartbeats are left in place. Without it, one per source.
   */
  group?: string;
}

interface Joined {
  home: InstanceHome;
  beat: Heartbeat;
  renewMs: number;
  renewedAt: number;
  /** Our heartbeat was found gone: the next beat announces this instance again. */
  lost?: boolean;
}

/**
 * One instance's presence on its sources. `join` announces it on every home or throws
 * InstanceBusyError naming a live other instance (a stale one is taken over, with a log line);
 * `beat` renews a home's heartbeat, at most every `renewEveryMs` (default: every poll, but not more
 * often than every 30 s); `leave` removes them (clean stop).
 *
 * Two instances starting at once both announce, wait `settleMs`, and read back: of the live ones,
 * the one that started first (then the lower id) stays; the other removes its heartbeat and refuses.
 */
export class InstanceGuard {
  readonly id: string;
  readonly #options: InstanceGuardOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #joined = new Map<string, Joined>();
  #displaced: InstanceBusyError | undefined;

  constructor(options: InstanceGuardOptions) {
    this.id = options.id;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.log ?? silentLogger;
  }

  /** Set once another live instance took over: the error naming it. */
  get displaced(): InstanceBusyError | undefined {
    return this.#displaced;
  }

  /**
   * Announces this instance on every home at once, so the settle is paid once rather than once per
   * source.
   * @throws InstanceBusyError when another live instance is there (heartbeats written by this
   *   call are removed first); the connector's errors when a home cannot be read or written.
   */
  async join(): Promise<void> {
    try {
      await this.#join(this.#options.homes);
    } catch (err) {
      await this.leave();
      throw err;
    }
  }

  /**
   * Renews the heartbeat on `homeId` when due. When it is gone (another instance judged it stale),
   * joins again: a live other instance there makes this one displaced (`onDisplaced`), and the
   * InstanceBusyError is thrown. Failing to renew for another reason is logged, not thrown: the
   * poll that follows fails on its own if the service is down.
   */
  async beat(homeId: string): Promise<void> {
    if (this.#displaced) throw this.#displaced;
    const joined = this.#joined.get(homeId);
    if (!joined) return;
    const now = this.#clock.now();
    const gap = joined.home.renewEveryMs ?? Math.max(joined.renewMs / 2, MIN_RENEW_GAP_MS);
    if (!joined.lost && now - joined.renewedAt < gap) return;
    if (!joined.lost) {
      const beat = { ...joined.beat, beatAt: now };
      try {
        joined.lost = !(await joined.home.renew(beat));
      } catch (err) {
        this.#log.warn(
          { err: (err as Error).message, home: joined.home.label },
          'could not renew the heartbeat',
        );
        return;
      }
      if (!joined.lost) {
        joined.beat = beat;
        joined.renewedAt = now;
        return;
      }
      this.#log.warn({ home: joined.home.label }, 'our heartbeat is gone: announcing this instance again');
    }
    // Until it succeeds, every poll tries again (a failure to read or write is thrown: the poll fails).
    try {
      await this.#join([{ home: joined.home, intervalMs: joined.renewMs }], joined.beat.startedAt);
    } catch (err) {
      if (!(err instanceof InstanceBusyError)) throw err;
      this.#displaced = err;
      this.#log.error({ home: joined.home.label }, `${err.message}: this instance stops polling`);
      this.#options.onDisplaced?.(err);
      throw err;
    }
  }

  /** Removes this instance's heartbeats (best effort: one that stays goes stale). */
  async leave(): Promise<void> {
    const homes = [...this.#joined.values()];
    this.#joined.clear();
    await Promise.all(
      homes.map(({ home }) =>
        home.remove([this.id]).catch((err: unknown) => {
          this.#log.warn({ err: (err as Error).message, home: home.label }, 'could not remove the heartbeat');
        }),
      ),
    );
  }

  /**
   * Reads every home, announces on each, waits one settle, and reads back. `startedAt` orders rivals:
   * the incumbent re-joining keeps its own; a newcomer takes the moment it announces, after reading
   * every home, and the same moment on each. Ordering newcomers by when their process began let a slow
   * starter announce after a rival had checked and found the home empty, then win too; a moment per
   * home let two newcomers each come first on a different source, and both refuse.
   * Every write is awaited before a failure is thrown, so `leave` then finds nothing in flight.
   */
  async #join(homes: GuardedHome[], startedAt?: number): Promise<void> {
    const group = this.#options.group;
    const partner = (b: Heartbeat, at: number) => b.id !== this.id && isLive(b, at) && inGroup(b, group);
    const rival = (b: Heartbeat, at: number) => b.id !== this.id && isLive(b, at) && !inGroup(b, group);
    const found = await Promise.all(homes.map(({ home }) => home.list()));
    let now = this.#clock.now();
    homes.forEach(({ home }, i) => {
      const live = found[i]!.find((b) => rival(b, now));
      if (live) throw new InstanceBusyError(home.label, live, now);
    });
    now = this.#clock.now();
    const announced = await Promise.allSettled(
      homes.map(({ home, intervalMs }, i) => {
        const before = found[i]!;
        for (const stale of before.filter((b) => b.id !== this.id && !partner(b, now)))
          this.#log.warn(
            { home: home.label },
            `taking over from a stale Baton: ${describeHeartbeat(stale, now)}`,
          );
        const renewMs = Math.max(intervalMs, home.renewEveryMs ?? 0);
        const me: Heartbeat = {
          id: this.id,
          host: hostname(),
          dataDir: this.#options.dataDir,
          pid: process.pid,
          startedAt: startedAt ?? now,
          beatAt: now,
          staleAfterMs: staleAfter(renewMs),
          ...(group !== undefined ? { group } : {}),
        };
        // Recorded before the write, so `leave` after a failed one still removes what may have landed.
        this.#joined.set(home.id, { home, beat: me, renewMs, renewedAt: now });
        // Our own old heartbeat and stale ones are replaced; the group's live ones stay.
        return home.announce(me, [...new Set(before.filter((b) => !partner(b, now)).map((b) => b.id))]);
      }),
    );
    throwFirst(announced);
    await this.#clock.sleep(this.#options.settleMs ?? 1000);
    const after = this.#clock.now();
    const verdicts = await Promise.allSettled(
      homes.map(async ({ home }) => {
        const me = this.#joined.get(home.id)!.beat;
        const rivals = (await home.list()).filter((b) => rival(b, after));
        const first = [me, ...rivals].sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1))[0]!;
        if (first.id !== this.id) {
          this.#joined.delete(home.id);
          await home.remove([this.id]).catch(() => undefined); // left behind, it goes stale
          throw new InstanceBusyError(home.label, first, after);
        }
      }),
    );
    throwFirst(verdicts);
    for (const { home } of homes) home.joined?.(this.id);
  }
}

/** Throws the first failure of `results`, a live rival first: it says more than an unreachable source. */
function throwFirst(results: PromiseSettledResult<void>[]): void {
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0)
    throw (failed.find((f) => f.reason instanceof InstanceBusyError) ?? failed[0]!).reason;
}

/**
 * The live instances other than `selfId` on each home (what `baton doctor` reports): one read per home.
 */
export async function otherInstances(
  homes: InstanceHome[],
  selfId: string | undefined,
  now: number,
  /** Scale-out: this instance's Redis group; its members are not others. */
  group?: string,
): Promise<{ home: InstanceHome; beat: Heartbeat }[]> {
  const out: { home: InstanceHome; beat: Heartbeat }[] = [];
  for (const home of homes) {
    for (const beat of await home.list())
      if (beat.id !== selfId && isLive(beat, now) && !inGroup(beat, group)) out.push({ home, beat });
  }
  return out;
}
