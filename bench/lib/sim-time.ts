// Simulated time for a scenario: every timer (rate limiters, retries, model latency, poll intervals,
// emulator windows) runs on a fake clock that jumps to the next timer whenever the process is idle.
import { syncBuiltinESMExports } from 'node:module';
import { performance } from 'node:perf_hooks';
import FakeTimers from '@sinonjs/fake-timers';

/** Handles that stay open while nothing is in flight; anything else (file I/O, …) means "busy". */
const QUIET = new Set([
  'TTYWrap',
  'PipeWrap',
  'Timeout',
  'SignalWrap',
  'ProcessWrap',
  'TCPWrap',
  'TCPServerWrap',
]);
/** Give up waiting for in-flight I/O after this much real time (a handle we do not know). */
const BUSY_CAP_MS = 2000;

export interface SimTime {
  /** Simulated now (the faked `Date.now()`). */
  now(): number;
  /**
   * Runs simulated time until `done()` holds, jumping from timer to timer while the process is idle.
   * `onTurn` runs after every settle (memory sampling). Returns false when `maxSimMs` passed first or
   * nothing was left to wait for.
   */
  runUntil(done: () => boolean, options?: { maxSimMs?: number; onTurn?: () => void }): Promise<boolean>;
  /** Runs simulated time until `promise` settles, and returns its result. */
  settle<T>(promise: Promise<T>, options?: { maxSimMs?: number }): Promise<T>;
  /** Simulated sleep: resolves after `ms` of simulated time (run it with `runUntil`/`settle`). */
  sleep(ms: number): Promise<void>;
  /** Real sleep, simulated time standing still (lets V8 shrink its heap before an RSS reading). */
  realSleep(ms: number): Promise<void>;
  /** Timer jumps made so far. */
  readonly jumps: number;
  /** Settles that gave up waiting for in-flight work after BUSY_CAP_MS (should stay 0). */
  readonly stalls: number;
  uninstall(): void;
}

/**
 * Fakes setTimeout/setInterval/Date (also for `node:timers` and `node:timers/promises`); leaves
 * setImmediate, process.nextTick, performance and I/O real, so idleness can be observed.
 * Install before any Baton object is built.
 */
export function installSimTime(): SimTime {
  const realImmediate = globalThis.setImmediate;
  const realTimeout = globalThis.setTimeout;
  const clock = FakeTimers.install({
    now: Date.now(),
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    loopLimit: 10_000_000,
  });
  syncBuiltinESMExports();
  let jumps = 0;
  let stalls = 0;
  const turn = () => new Promise<void>((resolve) => realImmediate(resolve));
  const busy = () => process.getActiveResourcesInfo().some((type) => !QUIET.has(type));

  /** Lets promise chains, I/O callbacks and immediates run until nothing is in flight. */
  async function quiesce(): Promise<void> {
    const started = performance.now();
    for (let quiet = 0; quiet < 2; ) {
      await turn();
      if (!busy()) quiet++;
      else if (performance.now() - started < BUSY_CAP_MS) quiet = 0;
      else {
        stalls++;
        return;
      }
    }
  }

  async function runUntil(
    done: () => boolean,
    options: { maxSimMs?: number; onTurn?: () => void } = {},
  ): Promise<boolean> {
    // A timer at the deadline, so a jump never carries simulated time past it.
    const sentinel =
      options.maxSimMs === undefined ? undefined : setTimeout(() => undefined, options.maxSimMs);
    const deadline = clock.now + (options.maxSimMs ?? Number.POSITIVE_INFINITY);
    try {
      for (;;) {
        await quiesce();
        options.onTurn?.();
        if (done()) return true;
        if (clock.countTimers() === 0 || clock.now >= deadline) return false;
        clock.next();
        jumps++;
      }
    } finally {
      clearTimeout(sentinel);
    }
  }

  return {
    now: () => clock.now,
    runUntil,
    async settle(promise, options) {
      let finished = false;
      const watched = promise.finally(() => {
        finished = true;
      });
      watched.catch(() => undefined);
      if (!(await runUntil(() => finished, options)))
        throw new Error('simulated time ran out before it settled');
      return watched;
    },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    realSleep: (ms) => new Promise((resolve) => realTimeout(resolve, ms)),
    get jumps() {
      return jumps;
    },
    get stalls() {
      return stalls;
    },
    uninstall() {
      clock.uninstall();
      syncBuiltinESMExports();
    },
  };
}
