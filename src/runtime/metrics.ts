// Prometheus metrics of a running Baton (prom-client): polls, runs by state, step failures, requests
// and 429s by service, LLM tokens and estimated cost.
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { z } from 'zod';
import type { JournalEntry, RunRecord } from '../engine/index.ts';
import { ACTIVE_STATUSES } from '../engine/index.ts';
import type { Baton } from './baton.ts';

/** What a service client exposes for metrics: its ServicePolicy (or anything shaped like it). */
export interface ServiceCounters {
  readonly service: string;
  readonly stats: Readonly<{ calls: number; failures: number; rateLimited: number }>;
  readonly paused: boolean;
}

const declared = new WeakMap<object, readonly ServiceCounters[]>();

/** Records which service clients a recipe talks through, so /metrics can report their requests and 429s. */
export function declareServices(recipe: object, services: readonly ServiceCounters[]): void {
  declared.set(recipe, services);
}

/** The service clients declared for these recipes (each client once). */
export function declaredServices(recipes: readonly object[]): ServiceCounters[] {
  return [...new Set(recipes.flatMap((recipe) => declared.get(recipe) ?? []))];
}

const Usage = z.object({
  model: z.string(),
  promptTokens: z.number().nonnegative(),
  completionTokens: z.number().nonnegative(),
  costUsd: z.number().nonnegative().optional(),
});
export type StepUsage = z.infer<typeof Usage>;

/** The LLM usage a step recorded (`ctx.annotate({ usage })`), or undefined. */
export function usageOf(entry: JournalEntry): StepUsage | undefined {
  return Usage.safeParse(entry.annotations?.usage).data;
}

export interface BatonMetrics {
  readonly registry: Registry;
  readonly contentType: string;
  /** The metrics in Prometheus text format. */
  render(): Promise<string>;
  /** Stops listening to the Baton. */
  close(): void;
}

export interface MetricsOptions {
  /** Service clients to report (default: those the recipes declared with `declareServices`). */
  services?: readonly ServiceCounters[];
  /** Node process metrics (memory, CPU, event loop lag); default true. */
  processMetrics?: boolean;
}

/**
 * Metrics for `baton`, on a registry of their own. Counters about runs (step failures, tokens, runs
 * finished) count what happens while this process runs, from the run documents it saves; runs
 * already in the data folder are a baseline, so a restart resets the counters as Prometheus expects.
 */
export function createMetrics(baton: Baton, options: MetricsOptions = {}): BatonMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const services = options.services ?? declaredServices(baton.engine.recipes);
  const registers = [registry];

  const polls = new Counter({
    name: 'baton_polls_total',
    help: 'Polls that completed, by trigger',
    labelNames: ['recipe', 'trigger'],
    registers,
    collect: () => {
      polls.reset();
      for (const p of baton.pollers())
        polls.inc({ recipe: p.recipe, trigger: p.state.trigger }, p.state.polls);
    },
  });
  const skipped = new Counter({
    name: 'baton_polls_skipped_total',
    help: "Polls skipped because the service's circuit breaker was open",
    labelNames: ['recipe', 'trigger'],
    registers,
    collect: () => {
      skipped.reset();
      for (const p of baton.pollers())
        skipped.inc({ recipe: p.recipe, trigger: p.state.trigger }, p.state.skipped);
    },
  });
  const pollErrors = new Gauge({
    name: 'baton_poller_consecutive_errors',
    help: 'Polls that failed in a row (0 when the last poll worked)',
    labelNames: ['recipe', 'trigger'],
    registers,
    collect: () => {
      pollErrors.reset();
      for (const p of baton.pollers())
        pollErrors.set({ recipe: p.recipe, trigger: p.state.trigger }, p.state.consecutiveErrors);
    },
  });
  const lastPoll = new Gauge({
    name: 'baton_poller_last_poll_timestamp_seconds',
    help: 'When each trigger last polled',
    labelNames: ['recipe', 'trigger'],
    registers,
    collect: () => {
      lastPoll.reset();
      for (const p of baton.pollers())
        if (p.state.lastPollAt !== undefined)
          lastPoll.set({ recipe: p.recipe, trigger: p.state.trigger }, p.state.lastPollAt / 1000);
    },
  });
  const runs = new Gauge({
    name: 'baton_runs',
    help: 'Unfinished runs by state (queued, running, waiting)',
    labelNames: ['recipe', 'state'],
    registers,
    collect: () => {
      runs.reset();
      for (const recipe of baton.engine.recipes)
        for (const state of ACTIVE_STATUSES) runs.set({ recipe: recipe.name, state }, 0);
      for (const run of baton.engine.activeRuns()) runs.inc({ recipe: run.recipe, state: run.status });
    },
  });
  const finished = new Counter({
    name: 'baton_runs_finished_total',
    help: 'Runs that ended, by final state (done, failed, cancelled)',
    labelNames: ['recipe', 'state'],
    registers,
  });
  const stepFailures = new Counter({
    name: 'baton_step_failures_total',
    help: 'Step attempts that threw (retried or final)',
    labelNames: ['recipe'],
    registers,
  });
  const tokens = new Counter({
    name: 'baton_llm_tokens_total',
    help: 'LLM tokens spent, by model and kind (prompt, completion)',
    labelNames: ['model', 'kind'],
    registers,
  });
  const cost = new Counter({
    name: 'baton_llm_cost_usd_total',
    help: 'Estimated LLM cost in US dollars (list prices; models without a known price add nothing)',
    labelNames: ['model'],
    registers,
  });
  const serviceCounter = (name: string, help: string, pick: (s: ServiceCounters) => number) => {
    const counter: Counter<'service'> = new Counter({
      name,
      help,
      labelNames: ['service'],
      registers,
      collect: () => {
        counter.reset();
        for (const s of services) counter.inc({ service: s.service }, pick(s));
      },
    });
  };
  serviceCounter(
    'baton_service_requests_total',
    'Requests made through each service client (before retries)',
    (s) => s.stats.calls,
  );
  serviceCounter(
    'baton_service_failures_total',
    'Requests that failed after their retries',
    (s) => s.stats.failures,
  );
  serviceCounter(
    'baton_service_rate_limited_total',
    'Rate-limit answers (429, quota) that Baton backed off from and retried',
    (s) => s.stats.rateLimited,
  );
  const paused = new Gauge({
    name: 'baton_service_paused',
    help: '1 while a service is paused by its circuit breaker',
    labelNames: ['service'],
    registers,
    collect: () => {
      paused.reset();
      for (const s of services) paused.set({ service: s.service }, s.paused ? 1 : 0);
    },
  });

  const tally = new RunTally({
    stepFailed: (recipe, n) => stepFailures.inc({ recipe }, n),
    finished: (recipe, state) => finished.inc({ recipe, state }),
    usage: (u) => {
      tokens.inc({ model: u.model, kind: 'prompt' }, u.promptTokens);
      tokens.inc({ model: u.model, kind: 'completion' }, u.completionTokens);
      cost.inc({ model: u.model }, u.costUsd ?? 0);
    },
  });
  const unsubscribe = baton.onRunSaved((run) => tally.observe(run));
  // Runs already in the data folder are the baseline (their past is not counted again).
  void baton.store
    .listRuns({ status: ACTIVE_STATUSES })
    .then((existing) => {
      for (const run of existing) tally.baseline(run);
    })
    .catch(() => undefined);

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    close: unsubscribe,
  };
}

interface StepSeen {
  failures: number;
  usageKey?: string;
}

/** Turns successive versions of run documents into increments: new failures, new usage, run endings. */
class RunTally {
  readonly #seen = new Map<string, { status: string; steps: Map<string, StepSeen> }>();

  constructor(
    private readonly on: {
      stepFailed(recipe: string, count: number): void;
      finished(recipe: string, state: string): void;
      usage(usage: StepUsage): void;
    },
  ) {}

  /** Remembers a run as it is, counting nothing (unless it was seen already). */
  baseline(run: RunRecord): void {
    if (!this.#seen.has(run.id)) this.#remember(run);
  }

  /** Counts what changed since the last version seen. The first sighting of a run is its baseline. */
  observe(run: RunRecord): void {
    const before = this.#seen.get(run.id);
    if (before) {
      let failures = 0;
      for (const entry of run.journal) {
        if (entry.kind !== 'step') continue;
        const seen = before.steps.get(entry.id);
        const now = failedAttempts(entry);
        // Fewer failures than before: `baton retry` reset the step, so all of these are new.
        failures += seen === undefined || now < seen.failures ? now : now - seen.failures;
        const usage = usageOf(entry);
        if (usage && usageKey(entry) !== seen?.usageKey) this.on.usage(usage);
      }
      if (failures > 0) this.on.stepFailed(run.recipe, failures);
      if (!ACTIVE_STATUSES.includes(run.status) && before.status !== run.status)
        this.on.finished(run.recipe, run.status);
    }
    this.#remember(run);
  }

  #remember(run: RunRecord): void {
    if (!ACTIVE_STATUSES.includes(run.status)) {
      this.#seen.delete(run.id); // finished runs leave memory; a retry's first save is its new baseline
      return;
    }
    const steps = new Map<string, StepSeen>();
    for (const entry of run.journal) {
      if (entry.kind !== 'step') continue;
      const key = usageOf(entry) ? usageKey(entry) : undefined;
      steps.set(entry.id, { failures: failedAttempts(entry), ...(key ? { usageKey: key } : {}) });
    }
    this.#seen.set(run.id, { status: run.status, steps });
  }
}

/** Attempts of a step that threw: all of them, except the last one of a step that is done. */
function failedAttempts(entry: JournalEntry): number {
  if (entry.status === 'done') return Math.max(0, entry.attempts - 1);
  // An unfinished step with no error has not failed: its try is under way (saved by firstTry()),
  // put off by a pause, or cut off by a shutdown. An error stays until the step succeeds.
  return entry.error ? entry.attempts : 0;
}

/** Usage is recorded per attempt: a new attempt or a new outcome means new tokens were spent. */
function usageKey(entry: JournalEntry): string {
  return `${entry.attempts}:${entry.status}`;
}
