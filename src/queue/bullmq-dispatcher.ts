// The scale-out dispatcher on BullMQ (the queue n8n's queue mode and Activepieces run on): one queue
// per recipe, a job per run execution. A worker that dies mid-run leaves its job active with a lock
// nobody renews; BullMQ's stalled-job check hands it to another worker, and the run's journal makes
// the repeat harmless.
import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { lazyModule } from '../../connectors/core/index.ts';
import type { Dispatcher, DispatcherStart, HeldSignal } from '../engine/dispatcher.ts';
import { type Logger, silentLogger } from '../log.ts';
import { safeJson } from '../store/json.ts';
import { logOutages } from '../store/redis-outage.ts';
import type { RedisStore } from '../store/redis-store.ts';
import { withLock } from './run-lock.ts';

// Loaded when scaled out (BATON_REDIS_URL): a single Baton never loads BullMQ or ioredis.
const bullmq = lazyModule<typeof import('bullmq')>('bullmq');
const ioredis = lazyModule<typeof import('ioredis')>('ioredis');

const HELD_MS = 60_000;
const HeldSignalSchema = z.object({ id: z.string(), key: z.string(), payload: z.unknown(), at: z.number() });
const JobData = z.object({ runId: z.string() });

export interface BullmqDispatcherOptions {
  /** The shared store: its prefix and its waiting-by-signal index. */
  store: RedisStore;
  /** The Redis the store uses (BATON_REDIS_URL). */
  url: string;
  log?: Logger;
  /**
   * How long a dead worker's run stays locked, and BullMQ's job lock (default 30 s): a run whose
   * process died is taken over after about this long.
   */
  lockMs?: number;
  /** How often workers look for jobs whose worker died (BullMQ's stalledInterval, default 30 s). */
  stalledIntervalMs?: number;
}

export class BullmqDispatcher implements Dispatcher {
  readonly #store: RedisStore;
  readonly #redis: Redis;
  readonly #log: Logger;
  readonly #prefix: string;
  readonly #lockMs: number;
  readonly #stalledMs: number;
  readonly #queues = new Map<string, Queue>();
  readonly #workers: Worker[] = [];

  constructor(options: BullmqDispatcherOptions) {
    this.#store = options.store;
    this.#prefix = options.store.prefix;
    // BullMQ's workers block on this connection: it must retry commands for ever, not fail them.
    // Lazy: a process that fails to open its store never connects (and is not kept alive by it).
    this.#redis = new (ioredis().Redis)(options.url, { maxRetriesPerRequest: null, lazyConnect: true });
    this.#log = options.log ?? silentLogger;
    logOutages(this.#redis, this.#log, 'run queues');
    this.#lockMs = options.lockMs ?? 30_000;
    this.#stalledMs = options.stalledIntervalMs ?? 30_000;
  }

  async start({ recipes, concurrency, groupConcurrency = {}, handle }: DispatcherStart): Promise<void> {
    for (const recipe of recipes) {
      const queue = this.#queue(recipe.name);
      // A recipe's own limit is sized for one machine (content's ffmpeg, memory), so each process
      // applies it: three workers run three times the work. The group-wide limit, when the user set
      // one, is the queue's global concurrency, which holds across every process taking from it.
      const group = groupConcurrency[recipe.name];
      if (group) await queue.setGlobalConcurrency(group);
      else await queue.removeGlobalConcurrency();
      const worker = new (bullmq().Worker)(
        queue.name,
        async (job) => {
          const data = JobData.safeParse(job.data);
          if (data.success) await handle(data.data.runId);
        },
        {
          connection: this.#redis,
          prefix: this.#bullPrefix,
          concurrency: Math.min(concurrency, recipe.concurrency ?? concurrency, group ?? concurrency),
          lockDuration: this.#lockMs,
          stalledInterval: this.#stalledMs,
          // A run taken over many times is still a run to finish; the journal makes repeats harmless.
          maxStalledCount: 1_000_000,
        },
      );
      worker.on('error', (err) => this.#warn(err, 'queue worker error'));
      this.#workers.push(worker);
    }
  }

  async enqueue(runId: string, options: { delayMs?: number; tag?: string } = {}): Promise<void> {
    const delay = Math.max(0, Math.round(options.delayMs ?? 0));
    await this.#queue(recipeOf(runId)).add(
      'run',
      { runId },
      {
        jobId: options.tag ? `${runId}.${options.tag}` : runId,
        delay,
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  }

  withRunLock<T>(
    runId: string,
    work: () => Promise<T>,
    options: { waitMs?: number } = {},
  ): Promise<{ locked: true; value: T } | { locked: false }> {
    return withLock(this.#redis, `${this.#prefix}lock:run:${runId}`, this.#lockMs, work, options.waitMs);
  }

  waitingOn(key: string): Promise<string[]> {
    return this.#store.waitingOn(key);
  }

  async holdSignal(signal: HeldSignal): Promise<void> {
    const key = this.#heldKey(signal.key);
    await this.#redis.multi().hset(key, signal.id, JSON.stringify(signal)).pexpire(key, HELD_MS).exec();
  }

  async heldSignals(key: string): Promise<HeldSignal[]> {
    const cutoff = Date.now() - HELD_MS;
    const held: HeldSignal[] = [];
    const expired: string[] = [];
    for (const [id, text] of Object.entries(await this.#redis.hgetall(this.#heldKey(key)))) {
      const parsed = HeldSignalSchema.safeParse(safeJson(text));
      if (parsed.success && parsed.data.at > cutoff) held.push(parsed.data);
      else expired.push(id);
    }
    // The key's expiry is renewed by each new signal: drop the old ones as they are seen.
    if (expired.length > 0) await this.#redis.hdel(this.#heldKey(key), ...expired);
    return held.sort((a, b) => a.at - b.at);
  }

  async takeHeldSignal(signal: HeldSignal): Promise<boolean> {
    return (await this.#redis.hdel(this.#heldKey(signal.key), signal.id)) === 1;
  }

  async stop(): Promise<void> {
    await Promise.all(this.#workers.splice(0).map((w) => w.close()));
    await Promise.all([...this.#queues.values()].map((q) => q.close()));
    this.#queues.clear();
    if (this.#redis.status === 'wait') this.#redis.disconnect();
    else await this.#redis.quit().catch(() => undefined);
  }

  get #bullPrefix(): string {
    return bullPrefix(this.#prefix);
  }

  /** While Redis is down its errors are logged once (logOutages); others each time. */
  #warn(err: Error, message: string): void {
    if (this.#redis.status === 'ready') this.#log.warn({ err: err.message }, message);
  }

  #heldKey(key: string): string {
    return `${this.#prefix}held:${key}`;
  }

  #queue(recipe: string): Queue {
    let queue = this.#queues.get(recipe);
    if (!queue) {
      queue = new (bullmq().Queue)(queueName(recipe), { connection: this.#redis, prefix: this.#bullPrefix });
      queue.on('error', (err) => this.#warn(err, 'queue error'));
      this.#queues.set(recipe, queue);
    }
    return queue;
  }
}

/** The BullMQ key prefix of the run queues under the store's prefix (BATON_REDIS_PREFIX). */
export function bullPrefix(storePrefix: string): string {
  return `${storePrefix}bull`;
}

/** Run ids are `<recipe>-<20 characters>` (runIdFor). */
function recipeOf(runId: string): string {
  return runId.slice(0, -21);
}

/** BullMQ refuses `:` in queue names; recipe names are plain words in practice. */
export function queueName(recipe: string): string {
  return `runs-${recipe.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
