// Outages during the lead pipeline: an Airtable penalty (another app went over the base's 5
// requests a second), Notion 429s and 5xx, websites that time out, refuse, vanish or send binary or
// huge answers. Every lead still finishes once, and the log says so once, not once per request.
import { delay, HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { flushAirtableBudgets } from '../../connectors/airtable/index.ts';
import { AirtableEmulator } from '../../src/sandbox/airtable/index.ts';
import { capturedLog, type LogLine } from '../support/captured-log.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leadRecords, leadsBaton, leadsCycle, leadsWorld, scriptScores } from './leads-world.ts';

const world = leadsWorld();
const server = useEmulators(world.handlers());
const tempDir = useTempDirs();
afterEach(() => {
  server.resetHandlers();
  world.notion.faults.clear();
  world.websites.faults.clear();
  world.notion.lostResponses.clear();
});

/** A long-running Baton polls Airtable every second (the budget allows it), the others every 100 ms. */
const RUNNING = {
  AIRTABLE_POLL_INTERVAL: '1s',
  AIRTABLE_MONTHLY_CALLS: '100000000',
};

async function until(done: () => boolean, what: string, ms = 45_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Warnings and errors as `service msg`, each with how often it was logged. */
function loud(lines: LogLine[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of lines.filter((l) => l.level >= 40)) {
    const key = `${l.service ?? ''} ${l.msg}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** An Airtable at its documented limits (5 requests/s per base) with a short penalty, holding the world's base. */
function airtableWithPenalty(penaltyMs: number): AirtableEmulator {
  const airtable = new AirtableEmulator({ clock: world.clock, penaltyMs });
  airtable.addToken(world.env.AIRTABLE_TOKEN!, {
    scopes: ['data.records:read', 'data.records:write', 'schema.bases:read'],
  });
  airtable.createBase('Sales', world.airtableBaseId);
  const fields = world.airtable.fields(world.airtableBaseId, 'Leads').map((f) => {
    const choices = (f.options?.choices as { name: string }[] | undefined)?.map((c) => c.name);
    return { name: f.name, type: f.type, ...(choices ? { choices } : {}) } as Parameters<
      AirtableEmulator['createTable']
    >[2][number];
  });
  airtable.createTable(world.airtableBaseId, 'Leads', fields);
  return airtable;
}

describe('leads under service outages', () => {
  it('rides out an Airtable penalty mid-backlog: nothing lost, nothing twice, one log line', async () => {
    const PENALTY_MS = 3000;
    const airtable = airtableWithPenalty(PENALTY_MS);
    server.use(...airtable.handlers());
    const names = Array.from({ length: 8 }, (_, i) => `Pen ${i + 1}`);
    scriptScores(world, Object.fromEntries(names.map((n) => [n, { score: 3, confidence: 0.9 }])));
    const { log, lines } = capturedLog();
    const dir = await tempDir();
    // Baton paces itself to Airtable's documented limit; only the wait after a 429 is shortened,
    // to the emulator's shortened penalty.
    const baton = await leadsBaton(world, dir, {
      log,
      env: RUNNING,
      tuning: { limits: 'documented', airtableRateLimitedDelayMs: PENALTY_MS + 100, pollIntervalMs: 100 },
    });
    baton.start();
    try {
      await until(() => airtable.requests.all().length > 0, 'the first poll'); // first enable
      await new Promise((r) => setTimeout(r, 1100));
      for (const name of names)
        airtable.addRecord(world.airtableBaseId, 'Leads', {
          Name: name,
          Email: `${name.replace(' ', '').toLowerCase()}@leads.example`,
        });
      const statuses = () => airtable.records(world.airtableBaseId, 'Leads').map((r) => r.fields.Status);
      await until(() => statuses().filter((s) => s === 'Nurture').length >= 2, 'two leads are done');
      expect(statuses().filter((s) => s === 'Nurture').length).toBeLessThan(names.length);

      // Another app sharing the base goes over the limit: the base refuses everything for the penalty.
      const url = `https://api.airtable.com/v0/${world.airtableBaseId}/Leads?pageSize=1`;
      const headers = { Authorization: `Bearer ${world.env.AIRTABLE_TOKEN}` };
      await Promise.all(Array.from({ length: 8 }, () => fetch(url, { headers })));
      expect(airtable.inPenalty(world.airtableBaseId)).toBe(true);

      await until(() => statuses().every((s) => s === 'Nurture'), 'every lead is done');
    } finally {
      await baton.stop();
      await flushAirtableBudgets();
    }

    // Baton's own requests met the penalty, and waited it out.
    const refused = airtable.requests.all().filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(3);
    const records = airtable.records(world.airtableBaseId, 'Leads');
    expect(records.map((r) => r.fields.Status)).toEqual(names.map(() => 'Nurture'));
    for (const r of records) expect(r.fields.Score).toBe(3);
    const pages = world.notion
      .pages(world.dossiers.dataSourceId)
      .filter((p) => names.includes(String(p.properties.Name)));
    expect(pages.map((p) => p.properties.Name).sort()).toEqual([...names].sort());
    expect(world.openai.calls.filter((c) => c.schemaName === 'lead_score')).toHaveLength(names.length);

    // One line says Airtable is refusing for a while: none per refused request, no error, nothing else.
    expect([...loud(lines)]).toEqual([
      [
        'airtable Airtable is refusing requests to the base (over 5 requests per second; another app may share it): waiting before retrying',
        1,
      ],
    ]);
  }, 90_000);

  it('goes on through Notion 429s, 5xx and a lost answer, and through websites that fail in every way', async () => {
    const site = (page: Parameters<typeof world.websites.addSite>[1]['pages'][string]) => ({
      address: '93.184.215.90',
      pages: { '/': page },
    });
    world.websites.addSite('slow.example', site({ html: '<title>Slow</title><p>Eventually.</p>' }));
    world.websites.addSite(
      'forbidden.example',
      site({ status: 403, body: 'Forbidden', contentType: 'text/html' }),
    );
    world.websites.addSite(
      'huge.example',
      site({ html: `<title>Huge</title><p>${'big '.repeat(1_000_000)}</p>` }),
    );
    const binary = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
    world.websites.addSite(
      'binary.example',
      site({ status: 200, body: binary, contentType: 'application/octet-stream' }),
    );
    world.websites.addSite('lying.example', site({ status: 200, body: binary, contentType: 'text/html' }));
    // The slow site never answers within the fetch's deadline.
    server.use(
      http.all(/^https?:\/\/slow\.example\//, async () => {
        await delay(3000);
        return HttpResponse.text('too late');
      }),
    );
    const websites = {
      'Sal Slow': 'https://slow.example',
      'Fay Forbidden': 'https://forbidden.example',
      'Gil Gone': 'https://gone-startup.example',
      'Hue Huge': 'https://huge.example',
      'Bea Binary': 'https://binary.example',
      'Lia Lying': 'https://lying.example',
      'Quin Quiet': 'https://quietfield.example',
      'Nad Nowhere': 'https://no-such-host.example',
    };
    const names = Object.keys(websites);
    const email = (name: string) => `${name.split(' ')[0]!.toLowerCase()}@faults.example`;
    scriptScores(world, Object.fromEntries(names.map((n) => [n, { score: 3, confidence: 0.9 }])));
    const { log, lines } = capturedLog();
    const dir = await tempDir();
    const cycle = () => leadsCycle(world, dir, { log, tuning: { websiteTimeoutMs: 800 } });
    await cycle(); // first enable
    const scoredBefore = world.openai.calls.filter((c) => c.schemaName === 'lead_score').length;
    world.notion.requests.clear();
    for (const [name, website] of Object.entries(websites))
      world.addAirtableLead({ Name: name, Email: email(name), Website: website });
    // Notion rate-limits and fails while the dossiers are written, and one page's answer is lost.
    world.notion.faults.failNext(3, 429, { match: /\/v1\/pages/, headers: { 'retry-after': '0' } });
    world.notion.faults.failNext(3, 502, { match: /\/v1\/pages/ });
    world.notion.lostResponses.loseNext(1, { method: 'POST', match: /\/v1\/pages/ });
    await cycle();
    await cycle();

    const records = leadRecords(world);
    for (const name of names) expect(records[email(name)]?.Status, name).toBe('Nurture');
    const pages = world.notion.pages(world.dossiers.dataSourceId);
    for (const name of names) {
      const mine = pages.filter((p) => p.properties.Name === name);
      expect(mine, name).toHaveLength(1);
      expect(mine[0]!.properties.Status).toBe('Nurture');
    }
    expect(world.notion.requests.all().filter((r) => r.status === 429 || r.status === 502)).toHaveLength(6);
    // Each site failed as a result, not an error: the model was still asked, once per lead.
    expect(world.openai.calls.filter((c) => c.schemaName === 'lead_score')).toHaveLength(
      scoredBefore + names.length,
    );
    // The dossier says why the site was not read.
    const why = {
      'Sal Slow': 'timed out after 800 ms',
      'Fay Forbidden': 'HTTP 403',
      'Gil Gone': 'HTTP 404',
      'Hue Huge': 'larger than 2 MB',
      'Bea Binary': 'not an HTML page (application/octet-stream)',
      'Lia Lying': 'not an HTML page (binary content)',
      'Quin Quiet': 'robots.txt disallows Baton',
      'Nad Nowhere': 'no such host',
    };
    for (const [name, reason] of Object.entries(why)) {
      const page = pages.find((p) => p.properties.Name === name)!;
      const note = world.notion
        .blocks(page.id)
        .map((b) => b.text)
        .find((t) => t.startsWith('No website text:'));
      expect(note, name).toContain(reason);
    }
    // The one lost answer was found again by its key, not created twice.
    expect(world.notion.requests.all().filter((r) => r.path === '/v1/pages' && r.status === 0)).toHaveLength(
      1,
    );
    // Nothing binary reached the model.
    expect(world.openai.calls.some((c) => JSON.stringify(c.messages).includes('\\u0000'))).toBe(false);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  }, 60_000);
});
