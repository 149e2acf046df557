// The VIP alert across a SIGKILL at each edge of its step, deterministically: the emulator server kills
// the Baton child from inside the one request that matters (the alert on its way to Slack, or the write
// of `VIP: in review` once Airtable has applied it), then a new child starts over the same data folder
// or over none. Each time the VIP gets exactly one alert, one draft and one card. The one window left
// (a kill between Slack's 200 and the journal write) is not reachable this way: see the README.
import { rm } from 'node:fs/promises';
import { getResponse, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { serveEmulators } from '../../src/sandbox/server.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { type PathwayChild, sleep, startPathwayWorker, until } from './pathway-child.ts';
import { contactRecords, pathwayWorld, scriptTiers } from './pathway-world.ts';

const tempDir = useTempDirs();
const VIP = { Name: 'Vala Vip', Email: 'vala@bigco.example', Company: 'BigCo', Message: 'We want this.' };

/** Where the child dies: before the request reaches the emulator, or after the emulator applied it. */
interface KillAt {
  when: 'before' | 'after';
  matches(request: Request, body: string): boolean;
}

const alertOnItsWay: KillAt = {
  when: 'before',
  matches: (request, body) =>
    request.url.startsWith('https://hooks.slack.com/') && body.includes('VIP Alert: Vala Vip'),
};

const vipInReviewWritten: KillAt = {
  when: 'after',
  matches: (request, body) =>
    request.method === 'PATCH' &&
    request.url.startsWith('https://api.airtable.com/') &&
    body.includes('"VIP: in review"'),
};

async function scenario(killAt: KillAt, options: { loseDataFolder: boolean }) {
  const world = pathwayWorld();
  scriptTiers(world, { [VIP.Name]: { tier: 'VIP', confidence: 0.9 } });
  const emulators = world.handlers();
  let victim: PathwayChild | undefined;
  let killed = false;
  const kill = async () => {
    const child = victim;
    victim = undefined;
    child?.child.kill('SIGKILL');
    await child?.done;
    killed = true;
  };
  // Sees every request the child makes; the first one matching `killAt` is the child's last.
  const around = http.all('*', async ({ request }) => {
    const hit = victim !== undefined && killAt.matches(request, await request.clone().text());
    if (hit && killAt.when === 'before') {
      await kill();
      return HttpResponse.error();
    }
    const response = await getResponse(emulators, request);
    if (hit) {
      await kill();
      return HttpResponse.error();
    }
    return response;
  });
  const server = await serveEmulators([around]);
  const dir = await tempDir();
  const alerts = () =>
    world.slack.messages().filter((m) => (m.text ?? '').startsWith(`VIP Alert: ${VIP.Name} `));
  try {
    victim = await startPathwayWorker(server, dir, world);
    await until(() => world.airtable.requests.all().length > 0, 'the first Airtable poll');
    await sleep(1100); // the first enable is behind us: the contact is new work
    world.addContact({ ...VIP, Source: 'form' });
    await until(() => killed, 'the kill');
    const afterKill = { status: contactRecords(world)[VIP.Name]?.Status, alerts: alerts().length };
    if (options.loseDataFolder) await rm(dir, { recursive: true, force: true });

    const run = await startPathwayWorker(server, dir, world);
    await until(
      () => contactRecords(world)[VIP.Name]?.Status === 'VIP: in review' && world.trello.cards().length > 0,
      'the VIP is in review with its card',
      60_000,
    ).catch(async (err: unknown) => {
      run.child.kill('SIGKILL');
      console.log(contactRecords(world), (await run.done).stderr);
      throw err;
    });
    await sleep(500); // anything a second alert would take place in
    run.child.kill('SIGTERM');
    await run.done;
    return {
      afterKill,
      alerts: alerts().length,
      drafts: world.gmail.drafts().filter((d) => d.to === VIP.Email).length,
      cards: world.trello.cards().map((c) => c.name),
    };
  } finally {
    victim?.child.kill('SIGKILL');
    await server.close();
  }
}

const once = { alerts: 1, drafts: 1, cards: [`VIP offer: ${VIP.Name} (${VIP.Company})`] };

describe('the VIP alert across a SIGKILL', () => {
  it('killed while the alert is on its way to Slack: the restarted Baton sends it, once', async () => {
    const result = await scenario(alertOnItsWay, { loseDataFolder: false });
    expect(result.afterKill).toEqual({ status: 'Queued', alerts: 0 });
    expect(result).toMatchObject(once);
  }, 120_000);

  it('killed while the alert is on its way and the data folder lost: the record is not yet in review, so it is alerted, once', async () => {
    const result = await scenario(alertOnItsWay, { loseDataFolder: true });
    expect(result.afterKill).toEqual({ status: 'Queued', alerts: 0 });
    expect(result).toMatchObject(once);
  }, 120_000);

  it('killed as the record says VIP: in review and the data folder lost: the alert went before, no second one', async () => {
    const result = await scenario(vipInReviewWritten, { loseDataFolder: true });
    expect(result.afterKill).toEqual({ status: 'VIP: in review', alerts: 1 });
    expect(result).toMatchObject(once);
  }, 120_000);
});
