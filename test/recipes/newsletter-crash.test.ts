// Exactly once under SIGKILL: a Baton child process sending an approved issue to 40 subscribers is
// killed mid-way and started again; in the end every subscriber has the issue exactly once.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveEmulators } from '../../src/sandbox/server.ts';
import { finished, printed, spawnTs } from '../support/child.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leadsWorld } from './leads-world.ts';
import { addSubscribers, scriptIssues } from './newsletter-world.ts';

const tempDir = useTempDirs();
const WORKER = 'test/fixtures/newsletter-worker.ts';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(done: () => boolean, what: string, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

/** A cron (with seconds) that fires once a year, at the second after `ms`, in UTC. */
function onceAt(ms: number): string {
  const t = new Date(Math.ceil((ms + 1) / 1000) * 1000);
  return `${t.getUTCSeconds()} ${t.getUTCMinutes()} ${t.getUTCHours()} ${t.getUTCDate()} ${t.getUTCMonth() + 1} *`;
}

describe('newsletter under SIGKILL', () => {
  it('sends an approved issue to each of 40 subscribers exactly once across a kill mid-send', async () => {
    const world = leadsWorld();
    scriptIssues(world);
    const people = addSubscribers(
      world,
      Array.from({ length: 40 }, (_, i) => `Reader ${String(i + 1).padStart(2, '0')}`),
    );
    const server = await serveEmulators(world.handlers());
    const dir = await tempDir();
    const env = { ...world.env, SEND_WINDOW: 'always', TZ: 'UTC' };
    const start = async (cron: string) => {
      const child = spawnTs(WORKER, [server.url, dir], {
        NEWSLETTER_ENV: JSON.stringify({ ...env, NEWSLETTER_CRON: cron }),
      });
      const done = finished(child);
      await printed(child, 'started');
      return { child, done };
    };
    const sent = () => world.gmail.sent().length;
    try {
      // As if Baton had been enabled a minute ago, with an occurrence since then: due at the first poll.
      const enabledAt = Date.now() - 60_000;
      mkdirSync(join(dir, 'cursors'), { recursive: true });
      writeFileSync(join(dir, 'cursors', 'newsletter.json'), JSON.stringify(enabledAt));
      const cron = onceAt(enabledAt);
      let run = await start(cron);
      await until(() => world.trello.cards('Review').length === 1, 'the issue is on its card');
      world.trello.moveCard(world.trello.cards('Review')[0]!.id, 'Approved');
      for (const atLeast of [10]) {
        await until(() => sent() >= atLeast, `${atLeast} emails are sent`);
        run.child.kill('SIGKILL');
        await run.done;
        // Killed in the middle of the list, not after it.
        expect(sent()).toBeLessThan(people.length);
        run = await start(cron);
      }
      const card = () => world.trello.cards('Approved')[0];
      await until(
        () => (card()?.comments ?? []).some((c) => c.text.startsWith('Sent to 40 of 40 subscribers.')),
        'the card says the issue went to everyone',
      );
      run.child.kill('SIGTERM');
      const exit = await run.done;
      expect(exit.stderr).not.toMatch(/"level":50/);
      const to = world.gmail
        .sent()
        .map((m) => m.to)
        .sort();
      expect(to).toEqual([...people].sort());
      expect(world.gmail.drafts()).toEqual([]);
      expect(world.trello.cards().map((c) => c.name)).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 180_000);
});
