// `baton runs`, `show`, `retry` and `status` against Redis (BATON_REDIS_URL), from any machine; and
// `baton start` saying which store it uses.
import { describe, expect, it } from 'vitest';
import { listRuns, retryRun, showRun } from '../../src/cli/commands/runs.ts';
import { openBaton, startBaton } from '../../src/cli/commands/start.ts';
import { showStatus } from '../../src/cli/commands/status.ts';
import type { RuntimeConfig } from '../../src/config.ts';
import type { RunRecord } from '../../src/engine/index.ts';
import { RedisStore } from '../../src/store/index.ts';
import { capturedLog } from '../support/captured-log.ts';
import { useRedis } from '../support/redis.ts';
import { runRecord } from '../support/run-record.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const redis = useRedis();
const tempDir = useTempDirs();
let prefixes = 0;

async function config(): Promise<RuntimeConfig> {
  return {
    dataDir: await tempDir(),
    pollIntervalMs: 60_000,
    concurrency: 2,
    retentionMs: 30 * 86_400_000,
    shutdownGraceMs: 0,
    logLevel: 'silent',
    redis: { url: redis.url, prefix: `cli-${++prefixes}:` },
  };
}

const run = (id: string, status: RunRecord['status']): RunRecord =>
  runRecord(id, status, {
    journal: [{ id: 'draft', kind: 'step', status: status === 'failed' ? 'failed' : 'done', attempts: 1 }],
    ...(status === 'failed' ? { error: { name: 'Error', message: 'Gmail said 503' } } : {}),
  });

async function seeded(c: RuntimeConfig, runs: RunRecord[]): Promise<RedisStore> {
  const store = new RedisStore({ url: redis.url, prefix: c.redis?.prefix ?? '' });
  await store.open();
  for (const r of runs) await store.saveRun(r);
  return store;
}

describe('the CLI with BATON_REDIS_URL', () => {
  it('lists, shows and retries runs kept in Redis, and counts them in status', async () => {
    const c = await config();
    const worker = await seeded(c, [
      run('pitch-a', 'done'),
      run('pitch-b', 'failed'),
      run('pitch-c', 'waiting'),
    ]);
    const out: string[] = [];
    const io = { out: (text: string) => out.push(text) };

    expect(await listRuns(c, { status: 'failed,waiting', json: true }, io)).toBe(0);
    expect((JSON.parse(out.pop() ?? '') as RunRecord[]).map((r) => r.id)).toEqual(['pitch-b', 'pitch-c']);
    await showRun(c, 'pitch-b', { json: true }, io);
    expect(JSON.parse(out.pop() ?? '')).toMatchObject({
      id: 'pitch-b',
      error: { message: 'Gmail said 503' },
    });
    await expect(showRun(c, 'pitch-z', {}, io)).rejects.toThrow(`No run pitch-z in redis 127.0.0.1:`);
    await retryRun(c, 'pitch-b', io);
    expect(out.pop()).toContain("resumes from step 'draft'");
    // Whichever worker looks first takes the request.
    expect(await worker.takeCommands()).toEqual([{ kind: 'retry', runId: 'pitch-b' }]);

    await showStatus(c, { json: true }, io);
    expect(JSON.parse(out.pop() ?? '')).toMatchObject({ runs: { done: 1, failed: 1, waiting: 1 } });
    await worker.close();
  });

  it('`baton start` logs the store it uses, by host and port', async () => {
    const c = await config();
    const { log, lines } = capturedLog();
    const baton = await startBaton(c, [], log);
    await baton.stop(0);
    const port = new URL(redis.url).port;
    expect(lines.map((l) => l.msg)).toContain(`store: redis 127.0.0.1:${port}`);

    const fileConfig = { ...c, dataDir: await tempDir() };
    delete fileConfig.redis;
    const file = capturedLog();
    const local = await startBaton(fileConfig, [], file.log);
    await local.stop(0);
    expect(file.lines.map((l) => l.msg)).toContain(`store: file ${fileConfig.dataDir}`);
  });

  it('refuses one cycle (`baton run --once`) against Redis, where workers own the runs', async () => {
    const c = await config();
    await expect(openBaton(c, [], capturedLog().log)).rejects.toThrow(
      '`baton run --once` cannot run against BATON_REDIS_URL',
    );
  });

  it('refuses a group limit (BATON_GROUP_CONCURRENCY) for a recipe that is not configured', async () => {
    const c = { ...(await config()), groupConcurrency: { pitchh: 8 } };
    await expect(startBaton(c, [], capturedLog().log)).rejects.toThrow(
      "BATON_GROUP_CONCURRENCY names 'pitchh', not a configured recipe",
    );
  });
});
