// A two-step recipe whose steps append to a calls log shared by processes, so a test can count
// how many times each step ran across all of them.
import { appendFileSync } from 'node:fs';
import { z } from 'zod';
import { defineRecipe } from '../../src/engine/index.ts';

/** `before` and `after` steps around `hang`, which calls `inStep` (a child process never returns). */
export function relayRecipe(log: string, inStep: (runId: string) => Promise<void>) {
  return defineRecipe({
    name: 'relay',
    input: z.object({}),
    retry: { maxAttempts: 1 },
    async run(_input, ctx) {
      await ctx.step('before', () => appendFileSync(log, `${ctx.runId} before\n`));
      await ctx.step('hang', async () => {
        appendFileSync(log, `${ctx.runId} hang\n`);
        await inStep(ctx.runId);
      });
      await ctx.step('after', () => appendFileSync(log, `${ctx.runId} after\n`));
      return 'relayed';
    },
  });
}
