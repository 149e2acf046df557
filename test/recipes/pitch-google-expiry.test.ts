// A Google sign-in that expired (an OAuth app in Testing, token over 7 days old): every poll fails,
// the log says once what to do, and Slack gets one alert with the fix, not one per poll.
import { describe, expect, it } from 'vitest';
import { capturedLog } from '../support/captured-log.ts';
import { weekOldTestingToken } from '../support/expired-sign-in.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { pitchBaton, pitchWorld } from './pitch-world.ts';

const world = pitchWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

describe('pitch with an expired Google sign-in', () => {
  it('logs the fix once and alerts Slack once over several polls', async () => {
    const expired = weekOldTestingToken(world.auth);
    world.addLead({ Name: 'Wendy Waiting', Email: 'wendy@leads.example', Company: 'Patience Ltd' });
    const { log, lines } = capturedLog();
    const baton = await pitchBaton(world, await tempDir(), {
      env: { GOOGLE_REFRESH_TOKEN: 'token-from-last-week' },
      log,
    });
    const failures: unknown[] = [];
    for (let poll = 0; poll < 3; poll++) await baton.runOnce('pitch').catch((e: unknown) => failures.push(e));
    await baton.stop();
    expired.restore();

    expect(failures).toHaveLength(3);
    const pollWarnings = lines.filter((l) => l.msg === 'poll failed; backing off');
    expect(pollWarnings).toHaveLength(1);
    expect(pollWarnings[0]?.err).toMatch(
      /^Google refused GOOGLE_REFRESH_TOKEN \(invalid_grant: Token has been expired or revoked\.\) — run `baton auth google`/,
    );
    expect(pollWarnings[0]?.err).toContain('Publish app');

    const alerts = world.slack.messages().filter((m) => m.shown?.includes('cannot read the lead sheet'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.shown).toMatch(
      /^Baton cannot read the lead sheet: Google refused GOOGLE_REFRESH_TOKEN .*run `baton auth google`.*Publish app/,
    );
    expect(alerts[0]?.broadcast).toBe(false);
    expect(JSON.stringify(lines)).not.toContain('token-from-last-week');
  });
});
