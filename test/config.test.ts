// Start-up configuration: defaults, and every problem reported at once in plain words.
import { describe, expect, it } from 'vitest';
import { loadHttpConfig, loadRuntimeConfig } from '../src/config.ts';

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
