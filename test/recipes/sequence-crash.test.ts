// Exactly once across a SIGKILL: the process dies while Gmail carries out step 1's send (its answer
// never comes back); after the restart every person has had step 1 exactly once.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveEmulators } from '../../src/sandbox/server.ts';
import { finished, printed, spawnTs } from '../support/child.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leadsWorld } from './leads-world.ts';
import { enrol, records, scriptAudits } from './sequence-world.ts';

const tempDir = useTempDirs();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(done: () => boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(100);
  }
}

describe('sequence under SIGKILL', () => {
  it('never sends step 1 twice when the process dies during the send and restarts', async () => {
    const world = leadsWorld();
    scriptAudits(world);
    const server = await serveEmulators(world.handlers());
    const dir = await tempDir();
    const file = join(await tempDir(), 'sequences.yaml');
    await writeFile(
      file,
      'quick:\n  - after: 0d\n    brief: Say hello.\n  - after: 7d\n    brief: Say hello again.\n',
    );
    const env = {
      ...world.env,
      SEQUENCES_FILE: file,
      AIRTABLE_POLL_INTERVAL: '1s',
      AIRTABLE_MONTHLY_CALLS: '100000000',
    };
    const start = async () => {
      const child = spawnTs('test/fixtures/sequence-worker.ts', [server.url, dir], {
        SEQUENCE_ENV: JSON.stringify(env),
      });
      const done = finished(child);
      await printed(child, 'started');
      return { child, done };
    };
    const people = ['Kim', 'Lou', 'Max'].map((n) => ({
      Name: n,
      Email: `${n.toLowerCase()}@people.example`,
    }));
    const stepOne = () =>
      people.every((p) =>
        /^Step 1 of 2 sent /.test(String(records(world)[p.Email]?.['Sequence status'] ?? '')),
      );
    try {
      let run = await start();
      await until(() => world.airtable.requests.all().length > 0, 'the first Airtable poll');
      await sleep(1100);
      // Gmail carries out each send but holds its answer: the process dies before it hears back.
      world.gmail.faultsAfterHandling({ method: 'POST', path: /drafts\/send/, holdMs: 8_000 });
      enrol(world, people, 'quick');
      await until(() => world.gmail.sent().length === people.length, 'Gmail sent every first email');
      run.child.kill('SIGKILL');
      await run.done;
      expect(stepOne()).toBe(false);
      world.gmail.faultsAfterHandling(undefined);

      run = await start();
      await until(stepOne, 'every record says Step 1 of 2 sent');
      // The runs now sleep until step 2: nothing more goes out.
      await sleep(1500);
      run.child.kill('SIGTERM');
      const exit = await run.done;
      expect(exit.stderr).not.toMatch(/"level":50/);

      expect(
        world.gmail
          .sent()
          .map((m) => m.to)
          .sort(),
      ).toEqual(people.map((p) => p.Email).sort());
      expect(world.gmail.drafts()).toEqual([]);
    } finally {
      await server.close();
    }
  }, 120_000);
});
