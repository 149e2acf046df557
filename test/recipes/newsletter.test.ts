// The weekly newsletter on a simulated clock, through the real SDKs against the emulators: one issue a
// week on one review card, one email per subscriber greeting them by first name, a Monday missed while
// Baton was off run once on return, Rejected sends nothing, Needs changes rewrites, and a daily cap
// spreads a list over days.
import { rm } from 'node:fs/promises';
import { beforeEach, describe, expect, it } from 'vitest';
import { SendRules, sendingSettings } from '../../recipes/shared/sending/index.ts';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leadsWorld } from './leads-world.ts';
import {
  addSubscribers,
  DAY,
  HOUR,
  NEWSLETTER_ENV,
  newsletterCycle,
  scriptIssues,
  sentIssues,
  travelTo,
} from './newsletter-world.ts';

let world = leadsWorld();
const server = useEmulators(world.handlers());
// A fresh world per test: subscribers, cards and mail of one test are not the next one's.
beforeEach(() => {
  world = leadsWorld();
  server.resetHandlers(...world.handlers());
});
const tempDir = useTempDirs();

const issueCards = () => world.trello.cards().filter((c) => c.name.startsWith('Newsletter '));
const inReview = () => issueCards().filter((c) => c.listName === 'Review');
/** A card's comments without the mark Baton's Trello connector appends. */
const comments = (card: { comments: { text: string }[] } | undefined) =>
  (card?.comments ?? []).map((c) => c.text.replace(/\n\n---\nBaton · .*$/s, ''));
const approveAll = () => {
  for (const card of inReview()) world.trello.moveCard(card.id, 'Approved');
};
/** `2026-W49` for a UTC instant. */
function isoWeek(ms: number): string {
  const d = new Date(ms);
  const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 4 - weekday));
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

describe('newsletter', () => {
  it('sends 3 weekly issues over 3 weeks with Baton stopped over the second Monday: the missed one once, on return', async () => {
    scriptIssues(world);
    const dir = await tempDir();
    const people = addSubscribers(world, ['Ann Archer', 'Bo Baker', 'Cy Carter']);
    // The same address twice in the view: one email.
    world.airtable.addRecord(world.airtableBaseId, 'Leads', {
      Name: 'Ann Again',
      Email: ' ANN.ARCHER@people.example ',
      Status: 'Nurture',
    });
    // Ticked Unsubscribed: out of the view, and never written to.
    const [gone] = addSubscribers(world, ['Uma Unsub'], { Unsubscribed: true });
    // Not being nurtured: not in the view.
    world.airtable.addRecord(world.airtableBaseId, 'Leads', {
      Name: 'Hal Hot',
      Email: 'hal@people.example',
      Status: 'Hot: in review',
    });

    travelTo(world, 7, 12); // Sunday: the first start enables the schedule; nothing is due.
    await newsletterCycle(world, dir);
    expect(issueCards()).toHaveLength(0);

    // Week 1: Monday 09:05, the issue is on its card; approved, it goes out.
    const monday1 = travelTo(world, 1, 9, 5);
    await newsletterCycle(world, dir);
    expect(issueCards().map((c) => c.name)).toEqual([`Newsletter ${isoWeek(monday1)}`]);
    expect(inReview()[0]?.desc).toContain('Hi {first name},');
    expect(world.gmail.sent()).toHaveLength(0);
    approveAll();
    await newsletterCycle(world, dir);
    expect(
      sentIssues(world)
        .map((m) => m.to)
        .sort(),
    ).toEqual([...people].sort());
    const ann = sentIssues(world).find((m) => m.to === people[0]);
    expect(ann?.text).toMatch(/^Hi Ann,/);
    expect(ann?.text).toContain('Reply "unsubscribe" and you won\'t hear from us again.');
    expect(sentIssues(world).find((m) => m.to === people[1])?.text).toMatch(/^Hi Bo,/);

    // Week 2: Baton is off on Monday and back on Tuesday 10:00: the missed issue is made once.
    world.clock.advance(monday1 + 8 * DAY + HOUR - world.clock.now()); // Tuesday 10:05
    await newsletterCycle(world, dir);
    expect(issueCards()).toHaveLength(2);
    approveAll();
    await newsletterCycle(world, dir);
    await newsletterCycle(world, dir);

    // Week 3: on time.
    const monday3 = travelTo(world, 1, 9, 1);
    await newsletterCycle(world, dir);
    approveAll();
    await newsletterCycle(world, dir);
    // Idle cycles later in the week make nothing new.
    world.clock.advance(2 * DAY);
    await newsletterCycle(world, dir);

    expect(issueCards().map((c) => c.name)).toEqual([
      `Newsletter ${isoWeek(monday1)}`,
      `Newsletter ${isoWeek(monday1 + 7 * DAY)}`,
      `Newsletter ${isoWeek(monday3)}`,
    ]);
    const sent = sentIssues(world);
    expect(sent).toHaveLength(3 * people.length);
    // Never a duplicate: each person got each issue once.
    const pairs = sent.map((m) => `${m.to} ${m.subject}`);
    expect(new Set(pairs).size).toBe(pairs.length);
    for (const person of people) expect(sent.filter((m) => m.to === person)).toHaveLength(3);
    expect(sent.some((m) => m.to === gone || m.to === 'hal@people.example')).toBe(false);
    // Archived in Notion with the number sent; the card says so too.
    const archive = world.notion.pages(world.newsletterArchive.dataSourceId);
    expect(archive.map((p) => [p.properties.Name, p.properties.Sent])).toEqual(
      issueCards().map((c) => [c.name, people.length]),
    );
    for (const card of issueCards())
      expect(comments(card)).toContain(`Sent to ${people.length} of ${people.length} subscribers.`);
  });

  it('runs one issue, not one per missed week, after two Mondays off', async () => {
    scriptIssues(world);
    const dir = await tempDir();
    addSubscribers(world, ['Dee Dunn']);
    travelTo(world, 7, 12);
    await newsletterCycle(world, dir);
    const monday = travelTo(world, 1, 9, 5);
    world.clock.advance(7 * DAY + HOUR); // back a week and an hour later
    await newsletterCycle(world, dir);
    expect(issueCards().map((c) => c.name)).toEqual([`Newsletter ${isoWeek(monday + 7 * DAY)}`]);
  });

  it('sends nothing when the issue is rejected', async () => {
    scriptIssues(world);
    const dir = await tempDir();
    addSubscribers(world, ['Eve Evans']);
    travelTo(world, 7, 12);
    await newsletterCycle(world, dir);
    travelTo(world, 1, 9, 5);
    await newsletterCycle(world, dir);
    world.trello.moveCard(inReview()[0]!.id, 'Rejected');
    await newsletterCycle(world, dir);
    world.clock.advance(DAY);
    await newsletterCycle(world, dir);
    expect(world.gmail.sent()).toHaveLength(0);
    expect(comments(issueCards()[0])).toContain('Rejected: nothing is sent.');
    expect(world.notion.pages(world.newsletterArchive.dataSourceId)).toHaveLength(0);
  });

  it('rewrites the issue after Needs changes and a comment, and sends the rewrite', async () => {
    // The first draft fails its audit every time: the card is flagged.
    scriptIssues(world, (call) =>
      call.messages.some((m) => typeof m.content === 'string' && m.content.includes('Revised issue'))
        ? 'PASS'
        : 'FAIL',
    );
    const dir = await tempDir();
    const [fay] = addSubscribers(world, ['Fay Fox']);
    travelTo(world, 7, 12);
    await newsletterCycle(world, dir);
    travelTo(world, 1, 9, 5);
    await newsletterCycle(world, dir);
    const card = inReview()[0]!;
    expect(card.labels).toContain('Audit failed');
    world.trello.moveCard(card.id, 'Needs changes');
    world.clock.advance(60_000);
    world.trello.comment(card.id, 'Shorter please.');
    await newsletterCycle(world, dir);
    const rewritten = world.trello.card(card.id)!;
    expect(rewritten.listName).toBe('Review');
    expect(rewritten.desc).toMatch(/^Subject: Revised issue \d+/);
    expect(rewritten.desc).toContain('Shorter, as you asked.');
    expect(world.gmail.sent()).toHaveLength(0);
    world.trello.moveCard(card.id, 'Approved');
    await newsletterCycle(world, dir);
    const sent = sentIssues(world);
    expect(sent.map((m) => m.to)).toEqual([fay]);
    expect(sent[0]?.subject).toMatch(/^Revised issue /);
    expect(sent[0]?.text).toMatch(/^Hi Fay,\n\nShorter, as you asked\./);
  });

  it('spreads a list over days at GMAIL_DAILY_LIMIT, and says so on the card', async () => {
    scriptIssues(world);
    const dir = await tempDir();
    const env = { GMAIL_DAILY_LIMIT: '3' };
    const people = addSubscribers(world, [
      'Gia One',
      'Gia Two',
      'Gia Three',
      'Gia Four',
      'Gia Five',
      'Gia Six',
      'Gia Seven',
    ]);
    travelTo(world, 7, 12);
    await newsletterCycle(world, dir, env);
    travelTo(world, 1, 9, 5);
    await newsletterCycle(world, dir, env);
    approveAll();
    await newsletterCycle(world, dir, env);
    expect(world.gmail.sent()).toHaveLength(3);
    expect(comments(issueCards()[0]).join('\n')).toMatch(/GMAIL_DAILY_LIMIT reached/);
    // Later the same day: still 3.
    world.clock.advance(6 * HOUR);
    await newsletterCycle(world, dir, env);
    expect(world.gmail.sent()).toHaveLength(3);
    // Tuesday after midnight: 3 more; Wednesday: the last one.
    world.clock.advance(10 * HOUR);
    await newsletterCycle(world, dir, env);
    expect(world.gmail.sent()).toHaveLength(6);
    world.clock.advance(DAY);
    await newsletterCycle(world, dir, env);
    expect(
      sentIssues(world)
        .map((m) => m.to)
        .sort(),
    ).toEqual([...people].sort());
  });

  it("writes from the week's published posts when CONTENT_NOTION_DATABASE_ID is set, and without them when it cannot be read", async () => {
    scriptIssues(world);
    const content = world.notion.createDatabase({
      title: 'Content',
      sharedWith: [world.env.NOTION_TOKEN!],
      properties: {
        Title: 'title',
        Status: { type: 'status', options: ['Draft', 'Published'] },
        'Publish at': 'date',
        Summary: 'rich_text',
        URL: 'url',
      },
    });
    const dir = await tempDir();
    addSubscribers(world, ['Hana Hill']);
    travelTo(world, 7, 12);
    const sunday = world.clock.now();
    const post = (title: string, status: string, daysAgo: number) =>
      world.notion.addPage(content.dataSourceId, {
        Title: title,
        Status: status,
        'Publish at': new Date(sunday - daysAgo * DAY),
        Summary: `About ${title}`,
        URL: `https://blog.example/${title.toLowerCase().replace(/\s+/g, '-')}`,
      });
    post('Fresh post', 'Published', 2);
    post('Old post', 'Published', 12);
    post('Draft post', 'Draft', 1);
    const env = { CONTENT_NOTION_DATABASE_ID: content.databaseId };
    await newsletterCycle(world, dir, env);
    travelTo(world, 1, 9, 5);
    await newsletterCycle(world, dir, env);
    const prompt = world.openai.calls
      .filter((c) => c.schemaName === 'newsletter_issue')
      .map((c) => c.messages.map((m) => (typeof m.content === 'string' ? m.content : '')).join('\n'))
      .join('\n');
    expect(prompt).toContain('Title: Fresh post');
    expect(prompt).toContain('Link: https://blog.example/fresh-post');
    expect(prompt).not.toContain('Old post');
    expect(prompt).not.toContain('Draft post');

    // A content database without the expected properties: the issue is written from the brief alone.
    const odd = world.notion.createDatabase({
      title: 'Odd',
      sharedWith: [world.env.NOTION_TOKEN!],
      properties: { Name: 'title' },
    });
    const dir2 = await tempDir();
    const oddEnv = { CONTENT_NOTION_DATABASE_ID: odd.databaseId };
    await newsletterCycle(world, dir2, oddEnv);
    world.clock.advance(7 * DAY);
    await newsletterCycle(world, dir2, oddEnv);
    expect(issueCards()).toHaveLength(2);
  });

  it('finishes a half-sent issue after the data folder is lost, emailing nobody twice', async () => {
    scriptIssues(world);
    const dir = await tempDir();
    const people = addSubscribers(world, ['Ida One', 'Ida Two', 'Ida Three', 'Ida Four']);
    travelTo(world, 7, 12);
    await newsletterCycle(world, dir);
    travelTo(world, 1, 9, 5);
    await newsletterCycle(world, dir);
    approveAll();
    // Two a day: half the list goes on Monday, then the data folder is lost.
    await newsletterCycle(world, dir, { GMAIL_DAILY_LIMIT: '2' });
    expect(world.gmail.sent()).toHaveLength(2);
    await rm(dir, { recursive: true, force: true });

    world.clock.advance(DAY);
    await newsletterCycle(world, dir);
    expect(
      sentIssues(world)
        .map((m) => m.to)
        .sort(),
    ).toEqual([...people].sort());
    expect(issueCards()).toHaveLength(1);
    expect(comments(issueCards()[0])).toContain('Sent to 4 of 4 subscribers.');
    // A later fresh start finds the card finished: nothing more.
    await rm(dir, { recursive: true, force: true });
    await newsletterCycle(world, dir);
    expect(world.gmail.sent()).toHaveLength(4);
  });

  it('skips a subscriber another recipe emailed within CONTACT_COOLDOWN this week, and says so on the card', async () => {
    scriptIssues(world);
    const dir = await tempDir();
    const [jo, kai] = addSubscribers(world, ['Jo Just', 'Kai Keen']);
    travelTo(world, 7, 12);
    await newsletterCycle(world, dir);
    travelTo(world, 1, 9, 5);
    await newsletterCycle(world, dir);
    // An hour before the approval, the lead pipeline wrote to Jo (recorded as every send is).
    const settings = sendingSettings({ ...world.env, ...NEWSLETTER_ENV });
    if (!settings.ok) throw new Error(settings.problems.join('; '));
    new SendRules({ settings: settings.settings, clock: world.clock, dataDir: dir }).sent(
      { to: jo!, recipe: 'leads', key: 'leads-run:send', unattended: false },
      world.clock.now() - HOUR,
    );
    approveAll();
    await newsletterCycle(world, dir);
    expect(sentIssues(world).map((m) => m.to)).toEqual([kai]);
    expect(comments(issueCards()[0])).toContain(
      `Sent to 1 of 2 subscribers. Not sent to: ${jo} (emailed by leads lately).`,
    );
  });
});
