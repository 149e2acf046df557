// What RedisStore adds to the contract: shared by several processes (no lock), indexes that keep
// active listings off finished runs, key prefixes that keep Batons apart, and AOF durability.
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/engine/index.ts';
import { RedisStore } from '../../src/store/index.ts';
import { useRedis } from '../support/redis.ts';
import { runRecord } from '../support/run-record.ts';

const redis = useRedis();

const run = (id: string, status: RunRecord['status'], wake?: RunRecord['wake']): RunRecord =>
  runRecord(id, status, wake ? { wake } : {});

async function opened(prefix: string): Promise<RedisStore> {
  const store = new RedisStore({ url: redis.url, prefix });
  await store.open();
  return store;
}

describe('RedisStore', () => {
  it('is opened by several processes at once: what one saves the other reads', async () => {
    const a = await opened('shared:');
    const b = await opened('shared:');
    await a.saveRun(run('r1', 'queued'));
    expect((await b.getRun('r1'))?.status).toBe('queued');
    await b.enqueueCommand({ kind: 'retry', runId: 'r1' });
    expect(await a.takeCommands()).toEqual([{ kind: 'retry', runId: 'r1' }]);
    expect(await b.takeCommands()).toEqual([]);
    await a.close();
    await b.close();
  });

  it('lists active runs from the status index without reading finished documents', async () => {
    const store = await opened('index:');
    await store.saveRun(run('active', 'waiting'));
    await store.saveRun(run('finished', 'done'));
    const raw = new Redis(redis.url);
    // A finished document damaged by hand: an active listing never parses it, a full one sets it aside.
    await raw.set('index:run:finished', '{"version":1,');
    expect((await store.listRuns({ status: ['queued', 'running', 'waiting'] })).map((r) => r.id)).toEqual([
      'active',
    ]);
    expect(await raw.exists('index:run:finished')).toBe(1);
    expect((await store.listRuns()).map((r) => r.id)).toEqual(['active']);
    expect(await raw.get('index:quarantine:finished')).toBe('{"version":1,');
    await raw.quit();
    await store.close();
  });

  it('indexes runs by the signal they wait for, and forgets them when they move on', async () => {
    const store = await opened('waits:');
    await store.saveRun(run('r1', 'waiting', { reason: 'signal', stepId: 'decision', key: 'card:1' }));
    await store.saveRun(run('r2', 'waiting', { reason: 'signal', stepId: 'decision', key: 'card:2' }));
    expect(await store.waitingOn('card:1')).toEqual(['r1']);
    await store.saveRun(run('r1', 'running'));
    expect(await store.waitingOn('card:1')).toEqual([]);
    expect(await store.waitingOn('card:2')).toEqual(['r2']);
    await store.close();
  });

  it('keeps Batons with different prefixes apart on one server', async () => {
    const one = await opened('agency-1:');
    const two = await opened('agency-2:');
    await one.saveRun(run('r1', 'queued'));
    await one.setCursor('c', 1);
    expect(await two.hasRun('r1')).toBe(false);
    expect(await two.listRuns()).toEqual([]);
    expect(await two.getCursor('c')).toBeUndefined();
    await one.close();
    await two.close();
  });

  it('loses nothing it acknowledged when Redis is SIGKILLed and restarted (AOF)', async () => {
    const store = await opened('aof:');
    await store.saveRun(run('r1', 'waiting', { reason: 'signal', stepId: 'd', key: 'card:9' }));
    await store.setCursor('trigger', { row: 12 });
    await store.close();
    await redis.kill();
    await redis.restart();
    const after = await opened('aof:');
    expect((await after.getRun('r1'))?.status).toBe('waiting');
    expect(await after.waitingOn('card:9')).toEqual(['r1']);
    expect(await after.getCursor('trigger')).toEqual({ row: 12 });
    await after.close();
  });

  it('says which server it cannot reach and what to check, without the password', async () => {
    const store = new RedisStore({ url: 'redis://:s3cret@127.0.0.1:1' });
    const failure = store.open().then(
      () => undefined,
      (err: Error & { hint?: string }) => err,
    );
    const err = await failure;
    expect(err?.message).toMatch(/^Cannot reach Redis at 127\.0\.0\.1:1/);
    expect(err?.message).not.toContain('s3cret');
    expect(err?.hint).toContain('BATON_REDIS_URL');
  });
});
