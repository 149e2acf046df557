// The sending manners on approved emails, through the real SDKs against the emulators: the mailbox's
// daily cap (GMAIL_DAILY_LIMIT) holds approved pitches until the next day, saying so once on each card;
// an address that asked not to be contacted (Airtable's Unsubscribed, or do-not-contact.json) is never
// written to; a send replayed after a crash is counted once and never sent twice.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addDoNotContact,
  DoNotContactError,
  SENDS_FILE,
  SendRules,
  sendingSettings,
} from '../../recipes/shared/sending/index.ts';
import { sharedServices } from '../../recipes/shared/services.ts';
import { ManualClock } from '../../src/clock.ts';
import { NonRetriableError } from '../../src/engine/index.ts';
import { silentLogger } from '../../src/log.ts';
import { createWorld } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { FAST, GMAIL_SEARCH_LAG_MS, pitchBaton, statuses } from './pitch-world.ts';

// Wednesday 2 December 2026, noon UTC.
const clock = new ManualClock(Date.UTC(2026, 11, 2, 12, 0));
const world = createWorld({ limits: 'relaxed', clock });
world.gmail.searchLagMs = GMAIL_SEARCH_LAG_MS;
useEmulators(world.handlers());
const tempDir = useTempDirs();

const WAITING = /^Approved, and waiting: GMAIL_DAILY_LIMIT reached: 2 emails sent on \d{4}-\d\d-\d\d \(UTC\)/;
const waitComments = (cardId: string) =>
  (world.trello.card(cardId)?.comments ?? []).filter((c) => WAITING.test(c.text));

/** One cron cycle in a fresh process (its own send count, read from the data folder). */
async function cycle(dir: string, env: Record<string, string> = {}): Promise<void> {
  const baton = await pitchBaton(world, dir, { env, clock, concurrency: 2 });
  await baton.runOnce('pitch');
  await baton.stop();
  clock.advance(GMAIL_SEARCH_LAG_MS);
}

async function pausedRuns(dir: string) {
  const store = new FileStore({ dir });
  await store.open({ readOnly: true });
  return (await store.listRuns()).filter((r) => r.wake?.reason === 'paused');
}

describe('GMAIL_DAILY_LIMIT on approved pitches', () => {
  it('sends 2 a day at a cap of 2, the rest the next days, each waiting card told once', async () => {
    const env = { GMAIL_DAILY_LIMIT: '2' };
    const leads = [1, 2, 3, 4, 5].map((i) => ({
      Name: `Capped ${i}`,
      Email: `capped${i}@leads.example`,
      Company: `Capped ${i} Ltd`,
    }));
    for (const lead of leads) world.addLead(lead);
    const dir = await tempDir();
    await cycle(dir, env);
    const cards = world.trello.cards('Review').filter((c) => c.name.startsWith('Pitch: Capped'));
    expect(cards).toHaveLength(5);
    for (const card of cards) world.trello.moveCard(card.id, 'Approved');

    const sentTo = () =>
      world.gmail
        .sent()
        .filter((m) => m.to.startsWith('capped'))
        .map((m) => m.to);
    // Day 1 (Wednesday): two go, three wait for midnight, each card saying so once.
    await cycle(dir, env);
    expect(sentTo()).toHaveLength(2);
    const waiting = cards.filter((c) => waitComments(c.id).length > 0);
    expect(waiting).toHaveLength(3);
    for (const card of waiting) expect(waitComments(card.id)).toHaveLength(1);
    const paused = await pausedRuns(dir);
    expect(paused).toHaveLength(3);
    // Midnight, a millisecond apart in the order they were held (so they wake in that order).
    expect(paused.map((r) => (r.wake?.at ?? 0) - Date.UTC(2026, 11, 3)).sort()).toEqual([0, 1, 2]);
    for (const run of paused) {
      expect(run.wake?.note).toMatch(/^GMAIL_DAILY_LIMIT reached/);
    }
    // Still Wednesday: nothing more goes.
    await cycle(dir, env);
    expect(sentTo()).toHaveLength(2);
    const counted = JSON.parse(await readFile(join(dir, SENDS_FILE), 'utf8'));
    expect(counted.days['2026-12-02']).toHaveLength(2);

    // Day 2: two more; the last one waits again, without a second comment.
    clock.set(Date.UTC(2026, 11, 3, 0, 1));
    await cycle(dir, env);
    expect(sentTo()).toHaveLength(4);
    for (const card of cards) expect(waitComments(card.id).length).toBeLessThanOrEqual(1);
    expect((await pausedRuns(dir)).map((r) => r.wake?.at)).toEqual([Date.UTC(2026, 11, 4)]);

    // Day 3: the last one.
    clock.set(Date.UTC(2026, 11, 4, 0, 1));
    await cycle(dir, env);
    expect(sentTo().sort()).toEqual(leads.map((l) => l.Email).sort());
    for (const lead of leads) expect(statuses(world)[lead.Email]).toMatch(/^Sent 2026-12-0[234] /);
    for (const card of cards) expect(waitComments(card.id).length).toBeLessThanOrEqual(1);
  });
});

describe('do not contact', () => {
  it('never sends an approved pitch to an address ticked Unsubscribed in the Airtable leads table', async () => {
    // Una is a lead in Airtable too, and someone ticked Unsubscribed on her record.
    const una = world.addAirtableLead({ Name: 'Una Unsub', Email: 'Una@Leads.example' });
    world.airtable.updateRecord(world.airtableBaseId, 'Leads', una, { Unsubscribed: true });
    world.addAirtableLead({ Name: 'Ola Other', Email: 'ola@leads.example' });
    world.addLead({ Name: 'Una Unsub', Email: 'una@leads.example', Company: 'Quiet Ltd' });
    world.addLead({ Name: 'Ola Other', Email: 'ola@leads.example', Company: 'Loud Ltd' });
    const dir = await tempDir();
    await cycle(dir);
    const cardOf = (name: string) => world.trello.cards().find((c) => c.name.includes(name))!;
    world.trello.moveCard(cardOf('Una Unsub').id, 'Approved');
    world.trello.moveCard(cardOf('Ola Other').id, 'Approved');
    await cycle(dir);

    const sent = world.gmail.sent().map((m) => m.to);
    expect(sent).toContain('ola@leads.example');
    expect(sent).not.toContain('una@leads.example');
    expect(statuses(world)['una@leads.example']).toBe(
      'Not sent: una@leads.example asked not to be contacted',
    );
    const comments = cardOf('Una Unsub').comments.map((c) => c.text);
    expect(
      comments.filter((t) => t.startsWith('Not sent: una@leads.example asked not to be contacted')),
    ).toHaveLength(1);
    expect(comments[0]).toContain("Unsubscribed in Airtable table 'Leads'");
    expect(world.gmail.drafts().some((d) => d.to === 'una@leads.example')).toBe(false);
    // The run ended: a later cycle does nothing more.
    await cycle(dir);
    expect(cardOf('Una Unsub').comments).toHaveLength(comments.length);
  });

  it('never sends to an address on the data folder’s do-not-contact.json', async () => {
    world.addLead({ Name: 'Dina Dnc', Email: 'dina@leads.example', Company: 'Private Ltd' });
    const dir = await tempDir();
    await cycle(dir);
    addDoNotContact(dir, ' DINA@leads.example ', 'replied “unsubscribe”', new Date(clock.now()));
    const card = world.trello.cards().find((c) => c.name.includes('Dina Dnc'))!;
    world.trello.moveCard(card.id, 'Approved');
    await cycle(dir);
    expect(world.gmail.sent().map((m) => m.to)).not.toContain('dina@leads.example');
    expect(statuses(world)['dina@leads.example']).toBe(
      'Not sent: dina@leads.example asked not to be contacted',
    );
    expect(world.trello.card(card.id)?.comments[0]?.text).toMatch(
      /^Not sent: dina@leads\.example asked not to be contacted \(do-not-contact\.json: replied “unsubscribe”\)/,
    );
  });
});

describe('a replayed send', () => {
  it('is counted once and sent once, whether the crash came before or after the count', async () => {
    const dir = await tempDir();
    const environment = {
      env: { ...world.env, GMAIL_DAILY_LIMIT: '1' },
      log: silentLogger,
      clock,
      dataDir: dir,
    };
    const gmail = sharedServices(environment, FAST).gmail();
    const parsed = sendingSettings(environment.env);
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    const process = () => new SendRules({ settings: parsed.settings, clock, dataDir: dir });
    const draft = await gmail.createDraft({
      to: 'replay@leads.example',
      subject: 'Hello',
      text: 'Hi',
      idempotencyKey: 'run-replay:create-draft',
    });
    const request = {
      to: 'replay@leads.example',
      recipe: 'pitch',
      key: 'run-replay:send',
      unattended: false,
    };
    const send = () => gmail.sendDraft(draft, { to: request.to, subject: 'Hello', text: 'Hi' });

    // The process dies after Gmail sent but before the step was journaled: the step runs again in
    // a new process. The count says 1 of 1, yet this send is not held back: it is the counted one.
    const first = await process().send(request, send);
    const again = await process().send(request, send);
    expect(again.messageId).toBe(first.messageId);
    expect(world.gmail.sent().filter((m) => m.to === 'replay@leads.example')).toHaveLength(1);
    expect(await process().sentToday()).toBe(1);

    // Dying after Gmail sent but before the count: the replay finds the earlier send and counts it once.
    const draft2 = await gmail.createDraft({
      to: 'replay2@leads.example',
      subject: 'Hello',
      text: 'Hi',
      idempotencyKey: 'run-replay-2:create-draft',
    });
    const request2 = {
      to: 'replay2@leads.example',
      recipe: 'pitch',
      key: 'run-replay-2:send',
      unattended: false,
    };
    const send2 = () => gmail.sendDraft(draft2, { to: request2.to, subject: 'Hello', text: 'Hi' });
    await send2();
    const rules = new SendRules({ settings: { ...parsed.settings, dailyLimit: 5 }, clock, dataDir: dir });
    await rules.send(request2, send2);
    await rules.send(request2, send2);
    expect(world.gmail.sent().filter((m) => m.to === 'replay2@leads.example')).toHaveLength(1);
    expect(await rules.sentToday()).toBe(2);
  });

  it('sends nothing, and says to run baton setup, when the table has no Unsubscribed checkbox', async () => {
    world.airtable.createTable(world.airtableBaseId, 'Old leads', [
      { name: 'Name', type: 'singleLineText' },
      { name: 'Email', type: 'email' },
    ]);
    const environment = { env: { ...world.env }, log: silentLogger, clock };
    const airtable = sharedServices(environment, FAST).airtable();
    const parsed = sendingSettings({});
    if (!parsed.ok) throw new Error('defaults');
    const rules = new SendRules({
      settings: parsed.settings,
      clock,
      airtable: () => airtable,
      unsubscribedTables: [{ base: world.airtableBaseId, table: 'Old leads' }],
    });
    let called = false;
    const sending = rules.send(
      { to: 'old@leads.example', recipe: 'pitch', key: 'old', unattended: false },
      async () => {
        called = true;
      },
    );
    await expect(sending).rejects.toBeInstanceOf(NonRetriableError);
    await expect(sending).rejects.toThrow(
      "Airtable table 'Old leads' has no 'Unsubscribed' field, so Baton cannot check who asked not to be contacted and sends nothing — run `baton setup leads`",
    );
    expect(called).toBe(false);
  });

  it('refuses with DoNotContactError before any Gmail call', async () => {
    const dir = await tempDir();
    addDoNotContact(dir, 'no@leads.example', 'asked by phone', new Date(clock.now()));
    const parsed = sendingSettings({});
    if (!parsed.ok) throw new Error('defaults');
    const rules = new SendRules({ settings: parsed.settings, clock, dataDir: dir });
    let called = false;
    await expect(
      rules.send({ to: 'No@leads.example', recipe: 'pitch', key: 'k', unattended: false }, async () => {
        called = true;
      }),
    ).rejects.toBeInstanceOf(DoNotContactError);
    expect(called).toBe(false);
    expect(await rules.sentToday()).toBe(0);
  });
});
