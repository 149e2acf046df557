// Start-up configuration: defaults, and every problem reported at once in plain words.
import { describe, expect, it } from 'vitest';
import { loadHttpConfig, loadRuntimeConfig, redisAddress } from '../src/config.ts';

describe('runtime configuration', () => {
  it('uses the documented defaults when nothing is set (empty values count as unset)', () => {
    const result = loadRuntimeConfig({ BATON_POLL_INTERVAL: '' });
    expect(result).toEqual({
      ok: true,
      config: {
        dataDir: './data',
        pollIntervalMs: 60_000,
        concurrency: 4,
        retentionMs: 30 * 86_400_000,
        shutdownGraceMs: 10_000,
        logLevel: 'info',
      },
    });
  });

  it('reads durations as people write them; a bare number is seconds', () => {
    const result = loadRuntimeConfig({ BATON_POLL_INTERVAL: '5m', BATON_SHUTDOWN_GRACE: '30' });
    expect(result.ok && result.config.pollIntervalMs).toBe(300_000);
    expect(result.ok && result.config.shutdownGraceMs).toBe(30_000);
  });

  it('reports every malformed variable at once, each with what to set', () => {
    const result = loadRuntimeConfig({
      BATON_POLL_INTERVAL: 'often',
      BATON_CONCURRENCY: '0',
      BATON_RETENTION_DAYS: 'a month',
      LOG_LEVEL: 'loud',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      "BATON_POLL_INTERVAL 'often' is not a duration — use forms like 60s, 5m",
      'BATON_CONCURRENCY must be at least 1',
      'BATON_RETENTION_DAYS must be a whole number',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });
});

describe('scale-out on Redis (BATON_REDIS_URL)', () => {
  it("reads BATON_QUEUE_LOCK, how soon a dead worker's run is taken over, into the Redis settings", () => {
    const set = loadRuntimeConfig({ BATON_REDIS_URL: 'redis://10.0.0.5:6380', BATON_QUEUE_LOCK: '15s' });
    expect(set.ok && set.config.redis?.queueLockMs).toBe(15_000);
    const short = loadRuntimeConfig({ BATON_REDIS_URL: 'redis://10.0.0.5:6380', BATON_QUEUE_LOCK: '5s' });
    expect(short.ok ? [] : short.problems).toEqual([
      'BATON_QUEUE_LOCK must be at least 10s: a busy worker that misses a renewal would lose its run to another',
    ]);
    const unset = loadRuntimeConfig({ BATON_REDIS_URL: 'redis://10.0.0.5:6380' });
    expect(unset.ok && unset.config.redis && 'queueLockMs' in unset.config.redis).toBe(false);
  });

  it('reads BATON_GROUP_CONCURRENCY as recipe=limit pairs, and names a malformed pair', () => {
    const ok = loadRuntimeConfig({ BATON_GROUP_CONCURRENCY: 'pitch=8, leads = 4' });
    expect(ok.ok && ok.config.groupConcurrency).toEqual({ pitch: 8, leads: 4 });
    const bad = loadRuntimeConfig({ BATON_GROUP_CONCURRENCY: 'pitch=8,leads' });
    expect(bad.ok ? [] : bad.problems).toEqual([
      "BATON_GROUP_CONCURRENCY has 'leads': write recipe=limit pairs (limit 1–1000), e.g. pitch=8,leads=4",
    ]);
    expect(loadRuntimeConfig({}).ok && 'groupConcurrency' in loadRuntimeConfig({})).toBe(false);
  });

  it('takes a redis:// or rediss:// URL, with the default key prefix unless BATON_REDIS_PREFIX says', () => {
    const plain = loadRuntimeConfig({ BATON_REDIS_URL: 'redis://:s3cret@10.0.0.5:6380/2' });
    expect(plain.ok && plain.config.redis).toEqual({
      url: 'redis://:s3cret@10.0.0.5:6380/2',
      prefix: 'baton:',
    });
    const tls = loadRuntimeConfig({
      BATON_REDIS_URL: 'rediss://cache.example',
      BATON_REDIS_PREFIX: 'baton:acme:',
    });
    expect(tls.ok && tls.config.redis).toEqual({ url: 'rediss://cache.example', prefix: 'baton:acme:' });
    expect(loadRuntimeConfig({ BATON_REDIS_URL: '' })).toMatchObject({
      ok: true,
      config: { dataDir: './data' },
    });
    expect((loadRuntimeConfig({ BATON_REDIS_URL: ' ' }) as { config: object }).config).not.toHaveProperty(
      'redis',
    );
  });

  it('refuses anything else without repeating the value (it may hold a password)', () => {
    for (const url of ['http://:s3cret@cache:6379', 'cache:6379 s3cret']) {
      const result = loadRuntimeConfig({ BATON_REDIS_URL: url, BATON_REDIS_PREFIX: 'no spaces s3cret' });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.problems).toEqual([
        'BATON_REDIS_URL must be a Redis URL like redis://:password@host:6379 or rediss://… (TLS)',
        'BATON_REDIS_PREFIX must be letters, digits, _ . : or - (e.g. baton:acme:)',
      ]);
    }
  });

  it('names the server as host:port only, for logs', () => {
    expect(redisAddress('redis://baton:s3cret@10.0.0.5:6380/2')).toBe('10.0.0.5:6380');
    expect(redisAddress('rediss://cache.example')).toBe('cache.example:6379');
  });
});

describe('the dashboard token', () => {
  it('is off when unset, and on with a long enough token', () => {
    expect(loadHttpConfig({})).toEqual({ ok: true, config: { port: 9464, host: '127.0.0.1' } });
    const token = 'a'.repeat(32);
    expect(loadHttpConfig({ BATON_DASHBOARD_TOKEN: token })).toMatchObject({
      config: { dashboardToken: token },
    });
  });

  it('refuses a short token, saying how to make one, without repeating it', () => {
    const result = loadHttpConfig({ BATON_DASHBOARD_TOKEN: 'hunter2' });
    expect(result).toEqual({
      ok: false,
      problems: [
        'BATON_DASHBOARD_TOKEN is too short (at least 20 characters) — generate one with `openssl rand -hex 32`',
      ],
    });
  });
});
