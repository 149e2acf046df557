// The pitch alert shows sheet values literally: a lead named `<!channel>` reaches Slack as text, not a broadcast.
import { describe, expect, it } from 'vitest';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { pitchBaton, pitchWorld, statuses } from './pitch-world.ts';

const world = pitchWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

describe('pitch alert text', () => {
  it('does not ping the whole channel for a lead named <!channel>', async () => {
    world.openai.respondWith((call) =>
      call.schemaName === 'pitch'
        ? {
            subject: 'An idea for Mass Ping Ltd',
            body: 'Hi,\n\nI may have an idea for you.\n\nSam',
            confidence: 0.2,
            confidenceReason: 'The row is thin.',
          }
        : undefined,
    );
    world.addLead({ Name: '<!channel> & co', Email: 'mass@leads.example', Company: 'Mass Ping Ltd' });
    const baton = await pitchBaton(world, await tempDir());
    await baton.runOnce('pitch');
    await baton.stop();
    world.openai.respondWith(undefined);

    const [alert] = world.slack.messages();
    expect(statuses(world)['mass@leads.example']).toBe('In review');
    expect(alert?.broadcast).toBe(false);
    expect(alert?.shown).toMatch(/^Pitch for <!channel> & co needs a closer look \(Low confidence\): https:/);
  });
});
