// `baton start` with BATON_REDIS_URL, as the CLI wires it: two processes of one Redis group both
// start on the same sheet and board (the instance guard accepts group members), share their rate
// limits, and poll each trigger one at a time. Without Redis nothing of this is opened.
import { afterAll, describe, expect, it } from 'vitest';
import { sharedRateLimiter, shareRateLimits } from '../../connectors/core/index.ts';
import { startBaton } from '../../src/cli/commands/start.ts';
import { buildRecipes } from '../../src/cli/environment.ts';
import { openScaleOut } from '../../src/cli/scale-out.ts';
import type { RuntimeConfig } from '../../src/config.ts';
import { silentLogger } from '../../src/log.ts';
import type { Baton } from '../../src/runtime/index.ts';
import type { Coordination } from '../../src/scale/index.ts';
import { pitchWorld } from '../recipes/pitch-world.ts';
import { useEmulators } from '../support/msw.ts';
import { useRedis } from '../support/redis.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const world = pitchWorld();
useEmulators(world.handlers());
const redis = useRedis();
const tempDir = useTempDirs();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const opened: Coordination[] = [];
const started: Baton[] = [];
afterAll(async () => {
  for (const baton of started) await baton.stop(0);
  for (const scale of opened) await scale.close();
  shareRateLimits(undefined); // process-wide: later tests in this worker count alone again
});

async function config(withRedis: boolean): Promise<RuntimeConfig> {
  return {
    dataDir: await tempDir(),
    pollIntervalMs: 500,
    concurrency: 2,
    retentionMs: 30 * 86_400_000,
    shutdownGraceMs: 0,
    logLevel: 'silent',
    ...(withRedis ? { redis: { url: redis.url, prefix: 'scale-cli:' } } : {}),
  };
}

describe('baton start with BATON_REDIS_URL', { timeout: 30_000 }, () => {
  it('opens nothing without Redis', async () => {
    expect(await openScaleOut(await config(false), silentLogger)).toBeUndefined();
    expect(sharedRateLimiter()).toBeUndefined();
  });

  it('starts two processes on one sheet as one group, polling each trigger from one of them', async () => {
    for (let i = 0; i < 2; i++) {
      const c = await config(true);
      const scale = await openScaleOut(c, silentLogger);
      if (!scale) throw new Error('no coordination with BATON_REDIS_URL set');
      opened.push(scale);
      const recipes = await buildRecipes(world.env, silentLogger, 'pitch', undefined, {
        dataDir: c.dataDir,
        coordination: scale.recipes,
      });
      // Without the group, the second would be refused: another live Baton announced on the sheet.
      started.push(await startBaton(c, recipes, silentLogger, scale));
    }
    expect(sharedRateLimiter()).toBe(opened[1]!.rateLimiter);
    await sleep(3000);
    const triggers = started[0]!.pollerStates().map((p) => p.trigger);
    expect(triggers.length).toBeGreaterThan(1);
    for (const trigger of triggers) {
      const polling = started.filter((b) =>
        b.pollerStates().some((p) => p.trigger === trigger && p.polls > 0),
      );
      expect(polling).toHaveLength(1);
    }
  });
});
