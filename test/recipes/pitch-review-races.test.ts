// The reviewer acts at any moment: while Baton rewrites, after a change of mind, past the rewrite
// limit. What is sent is always what the card says when the reviewer approves it, and only then.
import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import { buildPitch, pitchParts } from '../../recipes/pitch/setup.ts';
import { systemClock } from '../../src/clock.ts';
import { silentLogger } from '../../src/log.ts';
import type { Baton } from '../../src/runtime/index.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { FAST, pitchBaton, pitchWorld, statuses } from './pitch-world.ts';

const world = pitchWorld();
/** Runs once, when a request matching `match` is on its way to an emulator (the step sending it is running). */
let during: { match: (url: string, body: string) => boolean; run: () => Promise<void> } | undefined;
useEmulators(
  http.all(/.*/, async ({ request }) => {
    const hook = during;
    if (hook?.match(request.url, await request.clone().text())) {
      during = undefined;
      await hook.run();
    }
    return undefined; // on to the emulator
  }),
  world.handlers(),
);
/** The `revise` step's model request. */
const revising = (url: string, body: string) =>
  /\/chat\/completions$|\/responses$/.test(url) && body.includes('A reviewer asked for changes');
const tempDir = useTempDirs();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, condition: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** Polls of the review board completed so far (the second poller is the cardMoved trigger). */
const boardPolls = (baton: Baton) => baton.pollerStates().find((p) => p.trigger.startsWith('trello:'))!.polls;

const hasCard = (name: string) => world.trello.cards().some((c) => c.name.includes(name));

function cardOf(name: string) {
  return world.trello.cards().find((c) => c.name.includes(name))!;
}

const sentTo = (email: string) => world.gmail.sent().filter((m) => m.to === email);

// First in the file: no other lead is in flight yet, so the only "In review" write is this lead's.
describe('a comment written early', () => {
  const cycle = async (dir: string) => {
    const baton = await pitchBaton(world, dir);
    await baton.runOnce('pitch');
    await baton.stop();
  };

  it('reads a comment written while Baton was still setting the row to In review', async () => {
    const email = 'early@leads.example';
    world.addLead({ Name: 'Early Comment', Email: email, Company: 'Early Co' });
    const dir = await tempDir();
    during = {
      match: (url, body) =>
        url.includes('sheets.googleapis.com') && body.includes('In review') && hasCard('Early Comment'),
      run: async () => {
        world.trello.comment(cardOf('Early Comment').id, 'Say we are based in Leeds too.');
      },
    };
    await cycle(dir);
    expect(during).toBeUndefined();
    world.trello.moveCard(cardOf('Early Comment').id, 'Needs changes');
    await cycle(dir);
    expect(statuses(world)[email]).toBe('In review');
    expect(world.gmail.drafts().find((d) => d.to === email)?.text).toContain('Leeds');
  });
});

describe('a card move seen while the pitch is being rewritten', () => {
  for (const mode of ['reviewer drags it to Approved', 'the reconcile sees it in Needs changes'] as const) {
    it(`does not decide the next review round (${mode})`, async () => {
      const email = mode.startsWith('reviewer') ? 'rae@leads.example' : 'rex@leads.example';
      const name = mode.startsWith('reviewer') ? 'Rae Race' : 'Rex Reconcile';
      world.addLead({ Name: name, Email: email, Company: 'Race Co' });
      const baton = await pitchBaton(world, await tempDir(), {
        tuning: { pollIntervalMs: 50, reconcileEveryMs: mode.startsWith('reviewer') ? 600_000 : 100 },
      });
      baton.start();
      try {
        await until('In review', () => statuses(world)[email] === 'In review');
        const card = cardOf(name);
        during = {
          match: revising,
          run: async () => {
            if (mode.startsWith('reviewer')) world.trello.moveCard(card.id, 'Approved');
            // Let the board poller see the card where it is now, while the rewrite is still running.
            const seen = boardPolls(baton) + 2;
            await until('a board poll', () => boardPolls(baton) >= seen);
          },
        };
        world.trello.comment(card.id, 'Mention our Leeds office.');
        world.trello.moveCard(card.id, 'Needs changes');
        await until('the rewrite on the card', () => world.trello.card(card.id)!.desc.includes('Leeds'));
        await until('In review again', () => statuses(world)[email] === 'In review');
        expect(during).toBeUndefined();

        // Several polls later: nothing was sent, and the card waits in Review with the new text.
        const seen = boardPolls(baton) + 3;
        await until('more board polls', () => boardPolls(baton) >= seen);
        expect(sentTo(email)).toHaveLength(0);
        expect(world.trello.card(card.id)!.listName).toBe('Review');
        expect(statuses(world)[email]).toBe('In review');
        // The reviewer whose drag was overridden is told why, once; a reconcile sighting tells nobody.
        const told = world.trello
          .card(card.id)!
          .comments.filter((c) => c.text.includes('while Baton was rewriting'));
        expect(told.map((c) => c.text.includes('moved to Approved'))).toEqual(
          mode.startsWith('reviewer') ? [true] : [],
        );

        // The reviewer's real decision, on the text they have now read, is obeyed.
        world.trello.moveCard(card.id, 'Approved');
        await until('sent', () => sentTo(email).length > 0);
        expect(sentTo(email)).toHaveLength(1);
        expect(sentTo(email)[0]!.text).toContain('Leeds');
        await until('Status Sent', () => statuses(world)[email]?.startsWith('Sent ') ?? false);
      } finally {
        during = undefined;
        await baton.stop(2000);
      }
    });
  }
});

describe('the reviewer changes their mind', () => {
  const cycle = async (dir: string) => {
    const baton = await pitchBaton(world, dir);
    await baton.runOnce('pitch');
    await baton.stop();
  };

  it('Needs changes, then Approved without a comment: the card is sent as it is', async () => {
    const email = 'cam@leads.example';
    world.addLead({ Name: 'Cam Mind', Email: email, Company: 'Mind Co' });
    const dir = await tempDir();
    await cycle(dir);
    const card = cardOf('Cam Mind');
    world.trello.moveCard(card.id, 'Needs changes');
    await cycle(dir);
    expect(statuses(world)[email]).toBe('Revising');

    world.trello.moveCard(card.id, 'Approved');
    await cycle(dir);
    expect(sentTo(email)).toHaveLength(1);
    expect(statuses(world)[email]).toMatch(/^Sent /);
  });

  it('Needs changes, then Rejected without a comment: the draft is discarded', async () => {
    const email = 'rory@leads.example';
    world.addLead({ Name: 'Rory Reject', Email: email, Company: 'Mind Co' });
    const dir = await tempDir();
    await cycle(dir);
    const card = cardOf('Rory Reject');
    world.trello.moveCard(card.id, 'Needs changes');
    await cycle(dir);
    world.trello.moveCard(card.id, 'Rejected');
    await cycle(dir);
    expect(statuses(world)[email]).toBe('Rejected');
    expect(world.gmail.drafts().some((d) => d.to === email)).toBe(false);
    expect(sentTo(email)).toHaveLength(0);
  });

  it('Needs changes, then back to Review: waits for a decision again', async () => {
    const email = 'rita.back@leads.example';
    world.addLead({ Name: 'Rita Back', Email: email, Company: 'Mind Co' });
    const dir = await tempDir();
    await cycle(dir);
    const card = cardOf('Rita Back');
    world.trello.moveCard(card.id, 'Needs changes');
    await cycle(dir);
    world.trello.moveCard(card.id, 'Review');
    await cycle(dir);
    expect(statuses(world)[email]).toBe('In review');
    world.trello.moveCard(card.id, 'Approved');
    await cycle(dir);
    expect(sentTo(email)).toHaveLength(1);
  });
});

describe('past the rewrite limit', () => {
  it('leaves the card where the reviewer put it, says so once, and still obeys Approved', async () => {
    const email = 'max@leads.example';
    world.addLead({ Name: 'Max Rounds', Email: email, Company: 'Loop Co' });
    const dir = await tempDir();
    const env = { PITCH_MAX_REVISIONS: '2' };
    const cycle = async () => {
      const baton = await pitchBaton(world, dir, { env });
      await baton.runOnce('pitch');
      await baton.stop();
    };
    await cycle();
    const card = cardOf('Max Rounds');
    for (let round = 1; round <= 3; round++) {
      world.trello.moveCard(card.id, 'Needs changes');
      world.trello.comment(card.id, `round ${round}: shorter please`);
      await cycle();
    }
    // Two rewrites happened; the third "Needs changes" is answered with a comment, not a failure.
    expect(world.trello.card(card.id)!.listName).toBe('Needs changes');
    const told = world.trello.card(card.id)!.comments.filter((c) => c.text.includes('no more rewrites'));
    expect(told).toHaveLength(1);
    await cycle();
    expect(
      world.trello.card(card.id)!.comments.filter((c) => c.text.includes('no more rewrites')),
    ).toHaveLength(1);

    world.trello.moveCard(card.id, 'Approved');
    await cycle();
    expect(sentTo(email)).toHaveLength(1);
    expect(statuses(world)[email]).toMatch(/^Sent /);
  });
});

describe('what the reviewer edits on the card', () => {
  const cycle = async (dir: string) => {
    const baton = await pitchBaton(world, dir);
    await baton.runOnce('pitch');
    await baton.stop();
  };

  it('shows the subject, and sends the subject and body as edited', async () => {
    const email = 'sue@leads.example';
    world.addLead({ Name: 'Sue Subject', Email: email, Company: 'Subject Co' });
    const dir = await tempDir();
    await cycle(dir);
    const card = cardOf('Sue Subject');
    const draft = world.gmail.drafts().find((d) => d.to === email)!;
    expect(card.desc.startsWith(`Subject: ${draft.subject}\n\n`)).toBe(true);

    world.trello.editDescription(
      card.id,
      card.desc
        .replace(/^Subject: .*$/m, 'Subject: Coffee next week?')
        .replace(draft.text.split('\n')[0]!, 'Hi Sue, edited by hand.'),
    );
    world.trello.moveCard(card.id, 'Approved');
    await cycle(dir);
    const [sent] = sentTo(email);
    expect(sent?.subject).toBe('Coffee next week?');
    expect(sent?.text).toContain('Hi Sue, edited by hand.');
    expect(sent?.text).not.toContain('Subject:');
    expect(sent?.text).not.toContain('Open the draft in Gmail');
  });

  it('refuses to send a draft readdressed in Gmail, says why on the card and the row, and sends once it is fixed', async () => {
    const email = 'tia@leads.example';
    world.addLead({ Name: 'Tia To', Email: email, Company: 'T Co' });
    const dir = await tempDir();
    await cycle(dir);
    // Someone with access to the mailbox readdresses the draft, through Gmail's own API.
    const gmail = pitchParts(
      buildPitch({ env: world.env, log: silentLogger, clock: systemClock }, FAST),
    )!.gmail;
    const draft = world.gmail.drafts().find((d) => d.to === email)!;
    await gmail.updateDraft(draft.id, {
      to: 'someone-else@other.example',
      subject: draft.subject,
      text: draft.text,
    });
    const card = cardOf('Tia To');
    world.trello.moveCard(card.id, 'Approved');
    await cycle(dir);

    expect(world.gmail.sent().filter((m) => m.to !== email && m.subject === draft.subject)).toEqual([]);
    expect(sentTo(email)).toHaveLength(0);
    expect(statuses(world)[email]).toMatch(/^Not sent: /);
    expect(world.trello.card(card.id)!.listName).toBe('Review');
    expect(world.trello.card(card.id)!.comments[0]?.text).toContain('someone-else@other.example');

    await gmail.updateDraft(draft.id, { to: email, subject: draft.subject, text: draft.text });
    world.trello.moveCard(card.id, 'Approved');
    await cycle(dir);
    expect(sentTo(email)).toHaveLength(1);
    expect(statuses(world)[email]).toMatch(/^Sent /);
    expect(world.trello.card(card.id)!.comments[0]?.text).toMatch(new RegExp(`^Sent \\S+ to ${email}\\b`));
  });

  it('keeps the reviewer’s edits when they ask for changes: the rewrite starts from the card', async () => {
    const email = 'ed.it@leads.example';
    world.addLead({ Name: 'Edith Edits', Email: email, Company: 'Edit Co' });
    const dir = await tempDir();
    await cycle(dir);
    const card = cardOf('Edith Edits');
    world.trello.editDescription(
      card.id,
      card.desc.replace(/^Subject: .*$/m, 'Subject: A line the reviewer wrote'),
    );
    world.trello.comment(card.id, 'Also mention the free trial.');
    world.trello.moveCard(card.id, 'Needs changes');
    const seen = world.openai.calls.length;
    await cycle(dir);
    const prompts = world.openai.calls.slice(seen).map((call) => JSON.stringify(call.messages));
    expect(prompts.some((p) => p.includes('A line the reviewer wrote') && p.includes('free trial'))).toBe(
      true,
    );
  });
});
