// The content recipe on the sandbox page: "Upload the demo video to Drive" → three post cards in
// Review → one approved → the content calendar schedules it → the clock moves → the LinkedIn feed
// panel shows it, escaped, with its picture. And the newsletter button moves the clock to its time.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Sandbox, startSandbox } from '../../src/sandbox/run.ts';

// Generous: on a busy 2-core machine the sandbox (six recipes polling) can take tens of seconds.
const SLOW = { timeout: 60_000, interval: 100 };
let sandbox: Sandbox;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'baton-sandbox-content-'));
  sandbox = await startSandbox({ port: 0, dataDir, pollIntervalMs: 1000, seed: false, print: () => {} });
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function post(path: string, form: Record<string, string> = {}): Promise<string> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method: 'POST',
    headers: { origin: sandbox.url, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return res.headers.get('location') ?? '';
}
const page = async () => (await fetch(`${sandbox.url}/`)).text();
const panel = (html: string, id: string) =>
  new RegExp(`<section[^>]*id="${id}"[\\s\\S]*?</section>`).exec(html)?.[0] ?? '';
const escaped = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

/** The writer's three posts for the demo video; the second carries markup a page must not run. */
const INJECTED = 'Two people <img src=x onerror="window.__injected=1"> & ten hours saved';
const POSTS = [
  { hook: 'Ship small, every week', body: 'We moved our invoices out of email.', hashtags: ['#automation'] },
  { hook: INJECTED, body: 'Approvals take five minutes a day now.', hashtags: ['#smallbusiness'] },
  { hook: 'Nothing gets lost', body: 'One board, three cards, one decision each.', hashtags: ['#ops'] },
];

describe('content and newsletter on the sandbox page', () => {
  it('uploads the demo video, reviews its three posts, and shows the approved one in the LinkedIn feed', async () => {
    const { world } = sandbox;
    world.openai.respondWith((call) => {
      const said = call.messages.some((m) => String(m.content).includes('invoices out of email'));
      if (call.schemaName === 'linkedin_posts' && said)
        return { posts: POSTS.map((p, i) => ({ ...p, imagePrompt: `Demo picture ${i + 1}` })) };
      if (call.schemaName === 'posts_audit') return { verdict: 'PASS', problems: [], corrections: '' };
      return undefined;
    });
    expect(await post('/drive/demo-video')).toBe('/#content');
    // As a phone uploads it: an mp4 with its bytes (Drive reports the size).
    const [video] = world.drive.files(world.videoFolderId);
    expect(video?.mimeType).toBe('video/mp4');
    expect(video?.bytes?.length).toBeGreaterThan(1000);

    const cards = await vi.waitFor(() => {
      const posts = world.trello.cards('Review').filter((c) => c.name.startsWith('Post '));
      expect(posts).toHaveLength(3);
      return posts;
    }, SLOW);
    // The transcript is what the demo video's marker says.
    expect(world.openai.transcriptions).toHaveLength(1);
    // Each post's calendar page, In review (the last may be written just after its card).
    await vi.waitFor(async () => {
      const inReview = panel(await page(), 'content');
      expect(inReview.match(/data-property="Status">In review</g)).toHaveLength(3);
      expect(inReview).not.toContain('<img src=x');
    }, SLOW);

    const card = cards.find((c) => c.desc.includes('Two people'))!;
    expect(await post(`/cards/${encodeURIComponent(card.id)}/move`, { list: 'Approved' })).toBe('/#board');
    const scheduled = await vi.waitFor(() => {
      const page = world.notion
        .pages(world.contentCalendar.dataSourceId)
        .find((p) => p.properties.Status === 'Scheduled');
      expect(page?.properties['Publish at']).toBeTruthy();
      return page!;
    }, SLOW);
    expect(panel(await page(), 'content')).toContain(`>${String(scheduled.properties['Publish at'])}<`);
    expect(world.linkedin.posts()).toHaveLength(0);

    // The slot is at most a week ahead: advance until it is due.
    const due = Date.parse(String(scheduled.properties['Publish at']));
    while (sandbox.clock.now() < due) await post('/clock/advance');
    const published = await vi.waitFor(() => {
      const posts = world.linkedin.posts(world.linkedinAuthor);
      expect(posts).toHaveLength(1);
      return posts[0]!;
    }, SLOW);
    expect(published.text).toContain(INJECTED);

    const html = await page();
    const feed = panel(html, 'linkedin');
    expect(feed).toContain(escaped(INJECTED));
    expect(html).not.toContain('<img src=x');
    const src = /<img src="([^"]+)"/.exec(feed)?.[1];
    expect(src).toBe(`/linkedin/posts/${encodeURIComponent(published.urn)}/image`);
    const image = await fetch(`${sandbox.url}${src}`);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await image.arrayBuffer()).equals(Buffer.from(published.image!.bytes!))).toBe(true);
    await vi.waitFor(async () => {
      expect(panel(await page(), 'content')).toMatch(/data-property="Status">Published</);
    }, SLOW);
  }, 240_000);

  it('moves the clock to the next newsletter issue (Mondays 09:00 by default)', async () => {
    expect(await post('/clock/newsletter')).toBe('/#newsletter');
    const now = new Date(sandbox.clock.now());
    expect([now.getUTCDay(), now.getUTCHours(), now.getUTCMinutes()]).toEqual([1, 9, 0]);
    expect(panel(await page(), 'newsletter')).toContain('Send this week&#39;s newsletter now');
  });
});
