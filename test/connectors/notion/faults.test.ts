// NotionClient under 429s, 5xx, crashes and lost answers: it recovers, writes each page once, or says what to fix.
import { beforeEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  NotFoundError,
  ServiceError,
  ServicePausedError,
} from '../../../connectors/core/index.ts';
import { NotionEmulator } from '../../../src/sandbox/notion/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { notionWorld, TOKEN } from './setup.ts';

const { emulator, researchDatabase, client } = notionWorld();
const server = useEmulators(emulator.handlers());

let research: { databaseId: string; dataSourceId: string };
beforeEach(() => {
  emulator.faults.clear();
  emulator.lostResponses.clear();
  emulator.requests.clear();
  server.resetHandlers();
  research = researchDatabase();
});

/** 180 short paragraphs: a body that needs the create and one append. */
const paragraphs = Array.from({ length: 180 }, (_, i) => `Finding number ${i} about Acme.`);
const markdown = paragraphs.join('\n\n');
const input = (key: string) => ({
  dataSource: research.databaseId,
  properties: { Company: 'Acme' },
  markdown,
  idempotencyKey: key,
});

describe('recovery', () => {
  it('waits out Notion’s rate limit (Retry-After) and carries on', async () => {
    const strict = new NotionEmulator({ burstPerSecond: 2, requestsPerWindow: 1000 });
    strict.addIntegration(TOKEN);
    const db = strict.createDatabase({
      title: 'Strict',
      properties: { Name: 'title', 'Baton key': 'rich_text' },
    });
    server.use(...strict.handlers());
    const notion = client({
      maxRetryAfterMs: 5000,
      policy: { initialDelayMs: 5, maxDelayMs: 5000, maxAttempts: 4 },
    });
    const started = Date.now();
    const pages = await Promise.all(
      [1, 2, 3].map((n) => notion.queryPages(db.databaseId, { where: { Name: `p${n}` } })),
    );
    expect(pages).toEqual([[], [], []]);
    const statuses = strict.requests.all().map((r) => r.status);
    expect(statuses).toContain(429);
    // The database and data source reads, then the three queries: each answered once it was its turn.
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(notion.stats.rateLimited).toBeGreaterThanOrEqual(1);
    // Retry-After said 1 second: the retry did not come sooner.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('retries 5xx and dropped connections, each retry counted once (the SDK does not retry on its own)', async () => {
    const notion = client();
    await notion.dataSource(research.databaseId);
    emulator.requests.clear();
    emulator.faults.failNext(1, 503, { match: /\/query$/ }).failNext(1, 500, { match: /\/query$/ });
    emulator.faults.dropNext(1);
    expect(await notion.queryPages(research.databaseId)).toEqual([]);
    expect(emulator.requests.all().map((r) => r.status)).toEqual([0, 503, 500, 200]);
  });

  it('retries a failed create without making a second page', async () => {
    emulator.faults.failNext(1, 502, { match: /^\/v1\/pages$/ });
    const page = await client().createPage(input('k-502'));
    expect(page.created).toBe(true);
    expect(emulator.pages(research.dataSourceId)).toHaveLength(1);
    expect(emulator.requests.filter({ method: 'POST', path: /^\/v1\/pages$/ }).map((r) => r.status)).toEqual([
      502, 200,
    ]);
  });

  it('pauses calls when Notion keeps failing', async () => {
    const notion = client({
      policy: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 2, breakAfter: 4, pauseMs: 60_000 },
    });
    await notion.dataSource(research.databaseId);
    emulator.faults.failNext(50, 503);
    const errors: unknown[] = [];
    for (let i = 0; i < 3; i++)
      errors.push(await notion.queryPages(research.databaseId).catch((e: unknown) => e));
    expect(errors[0]).toMatchObject({ retryable: true, status: 503 });
    expect(errors.at(-1)).toBeInstanceOf(ServicePausedError);
    expect(notion.paused).toBe(true);
  });
});

describe('exactly one page', () => {
  it('finds the page instead of repeating a create whose answer was lost', async () => {
    emulator.lostResponses.loseNext(1, { method: 'POST', match: /^\/v1\/pages$/ });
    const page = await client().createPage(input('k-lost'));
    expect(page.created).toBe(true);
    expect(emulator.pages(research.dataSourceId)).toHaveLength(1);
    expect(emulator.page(page.pageId)?.text).toBe(paragraphs.join('\n'));
  });

  it('does not append a batch twice when the append’s answer was lost', async () => {
    emulator.lostResponses.loseNext(1, { method: 'PATCH', match: /\/children$/ });
    const page = await client().createPage(input('k-lost-append'));
    expect(emulator.page(page.pageId)?.text).toBe(paragraphs.join('\n'));
    expect(emulator.requests.filter({ method: 'PATCH' }).map((r) => r.status)).toEqual([0]);
  });

  it('completes a page cut short by a crash, and returns it when the run replays', async () => {
    // The first process creates the page with its first 100 blocks, then dies while appending the rest.
    emulator.faults.failNext(10, 500, { match: /\/children$/ });
    const crashed = await client({ policy: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 } })
      .createPage(input('k-crash'))
      .catch((e: unknown) => e);
    expect(crashed).toBeInstanceOf(ServiceError);
    expect(emulator.blocks(emulator.pages(research.dataSourceId)[0]!.id)).toHaveLength(100);
    emulator.faults.clear();

    // After a restart the run replays the step: same key, same Markdown.
    const resumed = await client().createPage(input('k-crash'));
    expect(resumed.created).toBe(false);
    expect(emulator.pages(research.dataSourceId)).toHaveLength(1);
    expect(emulator.page(resumed.pageId)?.text).toBe(paragraphs.join('\n'));

    // A replay after the page is complete changes nothing.
    emulator.requests.clear();
    const again = await client().createPage(input('k-crash'));
    expect(again).toMatchObject({ pageId: resumed.pageId, created: false });
    expect(emulator.requests.filter({ method: 'POST', path: /^\/v1\/pages$/ })).toHaveLength(0);
    expect(emulator.requests.filter({ method: 'PATCH' })).toHaveLength(0);
    expect(emulator.blocks(resumed.pageId)).toHaveLength(180);
  });
});

describe('errors that need a person', () => {
  it('says to check NOTION_TOKEN and share the database when the token is refused', async () => {
    const error = await client({ token: 'ntn_revoked_secret' })
      .createPage(input('k-401'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toMatch(
      /check NOTION_TOKEN and share the database with the integration/,
    );
    expect((error as AuthError).message).not.toContain('ntn_revoked_secret');
    expect(emulator.requests.count()).toBe(1);
  });

  it('says to share the database when the integration cannot see it', async () => {
    const hidden = researchDatabase([]);
    const error = await client()
      .createPage({ ...input('k-404'), dataSource: hidden.databaseId })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).message).toMatch(
      /share the database with the integration.*check NOTION_RESEARCH_DATABASE/,
    );
    expect(emulator.requests.all().map((r) => r.status)).toEqual([404, 404]);
  });

  it('passes Notion’s own validation message on, without retrying', async () => {
    const notion = client();
    const source = await notion.dataSource(research.databaseId);
    emulator.requests.clear();
    const error = await notion
      .queryPages(source.id, { notionFilter: { property: 'Score', rich_text: { equals: '1' } } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).message).toMatch(
      /Notion refused to query Research: body failed validation/,
    );
    expect(emulator.requests.count()).toBe(1);
  });
});
