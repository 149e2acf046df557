// The human callback: a pitch the model is unsure of, or one the auditor keeps failing, reaches the
// reviewer flagged — a label, the reason on the card, and a Slack ping.
import { describe, expect, it } from 'vitest';
import type { OpenAICall } from '../../src/sandbox/openai/emulator.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { pitchBaton, pitchWorld, statuses } from './pitch-world.ts';

const world = pitchWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

const about = (call: OpenAICall, company: string) => JSON.stringify(call.messages).includes(company);

describe('pitch flags', () => {
  it('labels a low-confidence pitch, explains why on the card, and pings Slack', async () => {
    world.openai.respondWith((call) =>
      call.schemaName === 'pitch' && about(call, 'Unsure Co')
        ? {
            subject: 'Maybe an idea for Unsure Co',
            body: 'Hi Una,\n\nI am not sure this fits, but...\n\nSam',
            confidence: 0.35,
            confidenceReason: 'The row says almost nothing about what they do.',
          }
        : undefined,
    );
    world.addLead({ Name: 'Una Unsure', Email: 'una@leads.example', Company: 'Unsure Co' });
    const baton = await pitchBaton(world, await tempDir());
    await baton.runOnce('pitch');
    await baton.stop();
    world.openai.respondWith(undefined);

    const card = world.trello.cards('Review').find((c) => c.name.includes('Una'))!;
    expect(card.labels).toEqual(['Low confidence']);
    expect(card.comments[0]?.text).toContain(
      'Low confidence (0.35 < 0.7): The row says almost nothing about what they do.',
    );
    expect(card.desc).not.toContain('Low confidence'); // the description stays exactly the email body
    expect(world.slack.messages().map((m) => m.text)).toEqual([
      expect.stringMatching(
        /^Pitch for Una Unsure needs a closer look \(Low confidence\): https:\/\/trello\.com\//,
      ),
    ]);
    expect(statuses(world)['una@leads.example']).toBe('In review');
  });

  it('rewrites twice on the auditor’s corrections, then sends the pitch to review marked Audit failed', async () => {
    const pitchesAsked: string[] = [];
    world.openai.respondWith((call) => {
      if (!about(call, 'Strict Audit Ltd')) return undefined;
      if (call.schemaName === 'pitch') pitchesAsked.push(JSON.stringify(call.messages));
      return call.schemaName === 'audit'
        ? {
            verdict: 'FAIL',
            problems: ['Claims they won an award; the row says nothing of it'],
            corrections: 'Remove the award.',
          }
        : undefined;
    });
    world.addLead({ Name: 'Ava Audit', Email: 'ava@leads.example', Company: 'Strict Audit Ltd' });
    const baton = await pitchBaton(world, await tempDir());
    await baton.runOnce('pitch');
    await baton.stop();
    world.openai.respondWith(undefined);

    expect(pitchesAsked).toHaveLength(3);
    expect(pitchesAsked[1]).toContain('Remove the award.');
    const card = world.trello.cards('Review').find((c) => c.name.includes('Ava'))!;
    expect(card.labels).toContain('Audit failed');
    expect(card.comments[0]?.text).toContain('Claims they won an award; the row says nothing of it');
    expect(statuses(world)['ava@leads.example']).toBe('In review');
  });
});
