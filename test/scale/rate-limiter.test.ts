// Three processes' Airtable clients sharing Redis stay under 5 requests per second per base together.
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AirtableClient, type TableRef } from '../../connectors/airtable/index.ts';
import { ServiceError } from '../../connectors/core/index.ts';
import { TrelloClient } from '../../connectors/trello/index.ts';
import { AirtableEmulator } from '../../src/sandbox/airtable/index.ts';
import { TrelloEmulator } from '../../src/sandbox/trello/index.ts';
import { RedisRateLimiter } from '../../src/scale/index.ts';
import { leadsTable, TOKEN } from '../connectors/airtable/fixture.ts';
import { useEmulators } from '../support/msw.ts';
import { useRedis } from '../support/redis.ts';

const redis = useRedis();
// The wall clock: the limiter counts in Redis's time, and the emulator must see the same seconds.
const airtable = new AirtableEmulator();
// Trello's 100 per 10 s per token, scaled down tenfold (10 per second) so the test takes seconds.
const trello = new TrelloEmulator({ perTokenLimit: 10, intervalMs: 1000 });
useEmulators(airtable.handlers(), trello.handlers());
trello.addCredentials('baton-key', 'bot-token');
trello.addCredentials('baton-key', 'other-token');
airtable.addToken(TOKEN);

/**
 * A request is counted when let go and reaches the emulator a moment later; on a test machine shared
 * by many busy processes that moment can pass the default margin (100 ms), so the tests allow more.
 */
const MARGIN_MS = 300;

const clients: Redis[] = [];
afterAll(() => {
  for (const c of clients) c.disconnect();
});

let leads: TableRef;
beforeEach(() => {
  leads = leadsTable(airtable);
  airtable.addRecord(leads.base, 'Leads', { Name: 'Ada' });
  airtable.requests.clear();
});

/** A process's client: Airtable's own 5 per second per base, counted in Redis when `shared`. */
function processClient(shared: boolean): AirtableClient {
  const connection = new Redis(redis.url);
  clients.push(connection);
  return new AirtableClient({
    token: TOKEN,
    rateLimitedDelayMs: 5,
    policy: {
      initialDelayMs: 1,
      maxDelayMs: 10,
      maxAttempts: 2,
      ...(shared ? { sharedLimiter: new RedisRateLimiter({ redis: connection, marginMs: MARGIN_MS }) } : {}),
    },
  });
}

/** The most requests in any one-second window. */
function busiestSecond(requests: readonly { at: number }[] = airtable.requests.all()): number {
  const at = requests.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < at.length; j++) {
    while (at[j]! - at[i]! >= 1000) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

describe('RedisRateLimiter', { timeout: 30_000 }, () => {
  it('keeps three processes together under the base’s 5 requests per second', async () => {
    const processes = [processClient(true), processClient(true), processClient(true)];
    const pages = await Promise.all(
      processes.flatMap((client) => Array.from({ length: 6 }, () => client.listPage(leads))),
    );
    expect(pages.every((p) => p.records.length === 1)).toBe(true);
    expect(airtable.requests.all().filter((r) => r.status === 429)).toEqual([]);
    expect(airtable.requests.all().length).toBe(18);
    expect(busiestSecond()).toBeLessThanOrEqual(5);
    expect(airtable.inPenalty(leads.base)).toBe(false);
  }, 30_000);

  it('is what keeps them under it: three per-process limits together go over and the base is penalised', async () => {
    const processes = [processClient(false), processClient(false), processClient(false)];
    await Promise.allSettled(
      processes.flatMap((client) => Array.from({ length: 3 }, () => client.listPage(leads))),
    );
    expect(airtable.requests.all().some((r) => r.status === 429)).toBe(true);
    expect(airtable.inPenalty(leads.base)).toBe(true);
  });

  it('keeps three processes together under Trello’s budget per token, and tokens apart', async () => {
    const boardId = trello.createBoard({ name: 'Pitches', lists: ['Review'] }).boardId;
    trello.requests.clear();
    const processClient = (token: string) => {
      const connection = new Redis(redis.url);
      clients.push(connection);
      return new TrelloClient({
        key: 'baton-key',
        token,
        limits: { request: { limit: 10, intervalMs: 1000 } },
        sharedLimiter: new RedisRateLimiter({ redis: connection, marginMs: MARGIN_MS }),
        maxAttempts: 1,
      });
    };
    const processes = [processClient('bot-token'), processClient('bot-token'), processClient('bot-token')];
    const other = processClient('other-token');
    const lists = { review: { name: 'Review', envVar: 'TRELLO_REVIEW_LIST' } };
    await Promise.all([
      ...processes.flatMap((client) => Array.from({ length: 8 }, () => client.findLists(boardId, lists))),
      ...Array.from({ length: 8 }, () => other.findLists(boardId, lists)),
    ]);
    const requests = trello.requests.all();
    expect(requests.filter((r) => r.status === 429)).toEqual([]);
    expect(requests.length).toBe(32);
    // The other token's 8 requests did not wait for the first token's 24.
    expect(busiestSecond(requests)).toBeGreaterThan(10);
  }, 30_000);

  it('sends nothing while Redis cannot count, failing with a retryable error that names BATON_REDIS_URL', async () => {
    // A Redis that is not there, and a client that gives up at once instead of reconnecting.
    const gone = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: 0, retryStrategy: () => null });
    gone.on('error', () => undefined);
    clients.push(gone);
    const client = new AirtableClient({
      token: TOKEN,
      policy: { maxAttempts: 3, sharedLimiter: new RedisRateLimiter({ redis: gone }) },
    });
    const before = airtable.requests.all().length;
    const err = await client.listPage(leads).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ retryable: true });
    expect((err as Error).message).toContain('BATON_REDIS_URL');
    expect(airtable.requests.all().length).toBe(before);
  });
});
