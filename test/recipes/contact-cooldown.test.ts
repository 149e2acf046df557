// One person, one conversation: an address emailed by one recipe gets no unattended email from
// another within CONTACT_COOLDOWN (the send waits until it ends); a person's approval is not held
// back; the record of who emailed whom survives a restart and reads the older send-count file.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ContactCooldownError,
  SENDS_FILE,
  SendingPausedError,
  SendRules,
  sendingProblems,
  sendingSettings,
} from '../../recipes/shared/sending/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();
const HOUR = 3600_000;

function rulesAt(clock: ManualClock, dir: string, env: Record<string, string> = {}): SendRules {
  const parsed = sendingSettings({ SEND_WINDOW: 'always', ...env });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return new SendRules({ settings: parsed.settings, clock, dataDir: dir });
}

describe('CONTACT_COOLDOWN', () => {
  it('holds another recipe’s unattended email until 3 days after the last one, then lets it go', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 2, 10, 0));
    const dir = await tempDir();
    const rules = rulesAt(clock, dir);
    let sent = 0;
    const send = async () => {
      sent++;
    };
    await rules.send({ to: 'Ana@Example.com', recipe: 'leads', key: 'leads-1', unattended: true }, send);

    clock.advance(HOUR);
    const held = rules.send(
      { to: 'ana@example.com', recipe: 'sequence', key: 'seq-1', unattended: true },
      send,
    );
    await expect(held).rejects.toBeInstanceOf(ContactCooldownError);
    const error = (await held.catch((e: unknown) => e)) as ContactCooldownError;
    expect(error).toBeInstanceOf(SendingPausedError);
    expect(error.until).toBe(Date.UTC(2026, 11, 5, 10, 0));
    expect(error.message).toBe(
      "ana@example.com was emailed by leads at 2026-12-02 10:00 UTC; CONTACT_COOLDOWN holds other recipes' unattended mail until 2026-12-05 10:00 UTC",
    );
    expect(sent).toBe(1);

    // The same recipe goes on (its own steps are spaced by the recipe), and so does a person's approval.
    await rules.send({ to: 'ana@example.com', recipe: 'leads', key: 'leads-2', unattended: true }, send);
    await rules.send({ to: 'ana@example.com', recipe: 'pitch', key: 'pitch-1', unattended: false }, send);
    expect(sent).toBe(3);
    expect(await rules.lastContact('ANA@example.com')).toEqual({ recipe: 'pitch', at: clock.now() });

    // A new process reads who emailed last; once 3 days have passed, the sequence may write.
    clock.advance(3 * 24 * HOUR);
    const next = rulesAt(clock, dir);
    expect((await next.lastContact('ana@example.com'))?.recipe).toBe('pitch');
    await next.send({ to: 'ana@example.com', recipe: 'sequence', key: 'seq-1', unattended: true }, send);
    expect(sent).toBe(4);
  });

  it('is off at 0, and a wrong value is a problem naming the variable', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 2, 10, 0));
    const rules = rulesAt(clock, await tempDir(), { CONTACT_COOLDOWN: '0' });
    const send = async () => undefined;
    await rules.send({ to: 'bo@example.com', recipe: 'leads', key: 'a', unattended: true }, send);
    await expect(
      rules.send({ to: 'bo@example.com', recipe: 'sequence', key: 'b', unattended: true }, send),
    ).resolves.toBeUndefined();
    expect(sendingProblems({ CONTACT_COOLDOWN: 'soon' })).toEqual([
      'CONTACT_COOLDOWN must be a duration such as 3d, 36h or 0 (off)',
    ]);
  });

  it('reads a send-count file written before contacts were recorded, and upgrades it', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 2, 10, 0));
    const dir = await tempDir();
    await writeFile(
      join(dir, SENDS_FILE),
      JSON.stringify({ version: 1, days: { '2026-12-02': ['old-key'] } }),
    );
    const rules = rulesAt(clock, dir);
    expect(await rules.sentToday()).toBe(1);
    await rules.send(
      { to: 'cy@example.com', recipe: 'leads', key: 'new-key', unattended: true },
      async () => undefined,
    );
    const file = JSON.parse(await readFile(join(dir, SENDS_FILE), 'utf8'));
    expect(file).toMatchObject({
      version: 2,
      days: { '2026-12-02': ['old-key', 'new-key'] },
      contacts: { 'cy@example.com': { recipe: 'leads', at: clock.now() } },
    });
  });
});
