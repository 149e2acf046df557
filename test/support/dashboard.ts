// A Baton whose one run fails until told otherwise, served with the runs dashboard on 127.0.0.1.
import type { Server } from 'node:http';
import { z } from 'zod';
import { defineRecipe, NonRetriableError } from '../../src/engine/index.ts';
import { closeServer, createHttpServer, listen } from '../../src/runtime/http.ts';
import { Baton } from '../../src/runtime/index.ts';
import { createMetrics } from '../../src/runtime/metrics.ts';
import { FileStore } from '../../src/store/index.ts';
import type { PollResult, Trigger } from '../../src/triggers/index.ts';

export const DASHBOARD_TOKEN = 'test-dashboard-token-0123456789abcdef';
export const CARD_URL = 'https://trello.com/c/AbCd1234/7-pitch-ada-lovelace';

/** One lead, handed over once. */
class OneLead implements Trigger {
  readonly id = 'leads';
  readonly intervalMs = 60_000;
  #given = false;
  poll(): Promise<PollResult> {
    if (this.#given) return Promise.resolve({});
    this.#given = true;
    const lead = { name: 'Ada Lovelace', email: 'ada@example.com' };
    return Promise.resolve({ items: [{ key: 'ada@example.com', payload: { lead } }] });
  }
}

export interface DashboardFixture {
  url: string;
  baton: Baton;
  runId: string;
  /** While true, the run's `send` step fails (not retried); set false to let a retry succeed. */
  failing: { now: boolean };
  close(): Promise<void>;
}

/**
 * Runs the recipe once: the run writes a pitch (200 tokens, $0.0003), creates a card, then fails to
 * send. `start` also starts Baton's timers, so commands left by the Retry button are applied
 * within 5 s.
 */
export async function serveDashboard(
  dir: string,
  options: { start?: boolean } = {},
): Promise<DashboardFixture> {
  const failing = { now: true };
  const recipe = defineRecipe({
    name: 'pitch',
    triggers: [new OneLead()],
    input: z.object({ lead: z.object({ name: z.string(), email: z.string() }) }),
    retry: { maxAttempts: 1 },
    async run(_input, ctx) {
      await ctx.step('write-pitch', (step) => {
        step.annotate({
          usage: { model: 'gpt-4o-mini', promptTokens: 150, completionTokens: 50, costUsd: 0.0003 },
        });
        return { subject: 'Hello' };
      });
      await ctx.step('create-card', () => ({ cardId: 'c1', url: CARD_URL }));
      await ctx.step('send', () => {
        if (failing.now) throw new NonRetriableError('Gmail refused the draft: 400 Invalid To header');
        return { sent: true };
      });
    },
  });
  const baton = new Baton({ store: new FileStore({ dir }), recipes: [recipe] });
  await baton.open();
  await baton.runOnce();
  if (options.start) baton.start();
  const server: Server = createHttpServer({
    baton,
    dashboardToken: DASHBOARD_TOKEN,
    metrics: createMetrics(baton, { processMetrics: false }),
  });
  const url = await listen(server, 0, '127.0.0.1');
  const [run] = await baton.store.listRuns();
  return {
    url,
    baton,
    runId: run!.id,
    failing,
    close: async () => {
      await closeServer(server);
      await baton.stop(0);
    },
  };
}
