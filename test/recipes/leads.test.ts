// The lead pipeline end to end: 12 leads through research, scoring, dossiers, a person's tier
// decisions, outreach review, replies and the 48 h follow-up, on a clock the test moves ahead.
import { describe, expect, it } from 'vitest';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leadRecords, leadsCycle, leadsWorld, scriptScores } from './leads-world.ts';

const world = leadsWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();
const HOUR = 3_600_000;

const hot = ['Hana Hot', 'Hugo Hot', 'Hilda Hot', 'Hector Hot', 'Hazel Hot'];
const cool = ['Nina Nurture', 'Ned Nurture', 'Nora Nurture', 'Nils Nurture', 'Nell Nurture'];
const unsure = ['Uma Unsure', 'Ugo Unsure'];
const email = (name: string) => `${name.split(' ')[0]!.toLowerCase()}@leads.example`;

describe('leads', () => {
  it('researches, scores and routes 12 leads; hot ones are reviewed, sent, and followed up once unless they reply', async () => {
    scriptScores(world, {
      ...Object.fromEntries(hot.map((n) => [n, { score: 9, confidence: 0.9 }])),
      ...Object.fromEntries(cool.map((n) => [n, { score: 4, confidence: 0.85 }])),
      ...Object.fromEntries(unsure.map((n) => [n, { score: 7, confidence: 0.4 }])),
    });
    const dir = await tempDir();
    const cycle = () => leadsCycle(world, dir);
    await cycle(); // first enable: from now on new records are work
    for (const name of [...hot, ...cool, ...unsure]) {
      world.addAirtableLead({
        Name: name,
        Email: email(name),
        Company: `${name.split(' ')[0]} Co`,
        Website: 'https://acme-analytics.example',
        Notes: 'Met at the meetup.',
      });
    }
    await cycle();

    let records = leadRecords(world);
    for (const name of hot) {
      expect(records[email(name)]).toMatchObject({ Status: 'Hot: in review', Tier: 'Hot', Score: 9 });
      expect(String(records[email(name)]!.Research)).toMatch(/^https:\/\/www\.notion\.so\//);
    }
    for (const name of cool) {
      expect(records[email(name)]).toMatchObject({ Status: 'Nurture', Tier: 'Nurture', Sequence: 'nurture' });
    }
    for (const name of unsure) {
      expect(records[email(name)]?.Status).toBe('Needs review');
      expect(records[email(name)]?.Tier).toBeUndefined();
      expect(String(records[email(name)]?.Reasons)).toContain('Suggested tier: Nurture');
    }
    // One dossier per lead, its Status following the record's.
    const pages = world.notion.pages(world.dossiers.dataSourceId);
    expect(pages).toHaveLength(12);
    const pageOf = (name: string) => pages.find((p) => p.properties.Name === name)!;
    expect(pageOf('Hana Hot').properties).toMatchObject({ Status: 'Hot: in review', Tier: 'Hot', Score: 9 });
    expect(pageOf('Uma Unsure').properties).toMatchObject({ Status: 'Needs review' });
    expect(world.notion.blocks(pageOf('Hana Hot').id).length).toBeGreaterThan(5);
    // The website was read, as Baton, and only once per lead.
    expect(world.websites.visits('acme-analytics.example').filter((v) => v.url.endsWith('/')).length).toBe(
      12,
    );
    // Slack: one "hot lead" per hot lead, one "needs a person" per unsure one.
    const slack = world.slack.messages().map((m) => m.text ?? '');
    expect(slack.filter((t) => t.startsWith('Hot lead:'))).toHaveLength(5);
    expect(slack.filter((t) => t.includes('needs a person'))).toHaveLength(2);
    // Outreach drafts carry the booking link with name and email filled in.
    const hana = world.gmail.drafts().find((d) => d.to === email('Hana Hot'))!;
    expect(hana.text).toContain(
      'https://cal.com/sandbox-studio/intro?name=Hana+Hot&email=hana%40leads.example',
    );

    // A person decides the unsure ones in Airtable.
    world.airtable.updateRecord(world.airtableBaseId, 'Leads', String(records[email('Uma Unsure')]!.id), {
      Tier: 'Hot',
    });
    world.airtable.updateRecord(world.airtableBaseId, 'Leads', String(records[email('Ugo Unsure')]!.id), {
      Tier: 'Nurture',
    });
    await cycle();
    records = leadRecords(world);
    expect(records[email('Uma Unsure')]?.Status).toBe('Hot: in review');
    expect(records[email('Ugo Unsure')]).toMatchObject({ Status: 'Nurture', Sequence: 'nurture' });

    // The reviewer approves every outreach.
    const outreachCards = world.trello.cards('Review').filter((c) => c.name.startsWith('Outreach:'));
    expect(outreachCards).toHaveLength(6);
    for (const card of outreachCards) world.trello.moveCard(card.id, 'Approved');
    await cycle();
    const hotNames = [...hot, 'Uma Unsure'];
    records = leadRecords(world);
    for (const name of hotNames)
      expect(records[email(name)]?.Status).toMatch(/^Hot: sent \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    const outreach = (name: string) => world.gmail.sent().find((m) => m.to === email(name))!;

    // Two leads answer within the 48 hours.
    for (const name of ['Hana Hot', 'Hugo Hot']) {
      await world.gmail.receive({
        from: email(name),
        subject: `Re: ${outreach(name).subject}`,
        text: 'Sounds good!',
        threadId: outreach(name).threadId,
      });
    }
    world.clock.advance(HOUR);
    await cycle();
    records = leadRecords(world);
    expect(records[email('Hana Hot')]?.Status).toMatch(/^Replied \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(records[email('Hugo Hot')]?.Status).toMatch(/^Replied /);
    expect(pageOf('Hana Hot').id && world.notion.page(pageOf('Hana Hot').id)?.properties.Status).toBe(
      'Replied',
    );

    // 48 hours later the others get exactly one follow-up, in the same thread.
    world.clock.advance(48 * HOUR);
    await cycle();
    await cycle();
    records = leadRecords(world);
    for (const name of ['Hilda Hot', 'Hector Hot', 'Hazel Hot', 'Uma Unsure']) {
      expect(records[email(name)]?.Status).toMatch(/^Follow-up sent /);
      const sentToLead = world.gmail.sent().filter((m) => m.to === email(name));
      expect(sentToLead).toHaveLength(2);
      const first = sentToLead.find((m) => !m.inReplyTo)!;
      const followUp = sentToLead.find((m) => m.inReplyTo)!;
      expect(followUp.threadId).toBe(first.threadId);
      expect(followUp.inReplyTo).toBe(first.messageId);
      expect(followUp.subject).toBe(`Re: ${first.subject}`);
      // Unattended, so it carries the unsubscribe line and header; the approved outreach does not.
      expect(followUp.text).toMatch(/\n--\nReply "unsubscribe" and you won't hear from us again\.$/);
      expect(followUp.listUnsubscribe).toMatch(/^<mailto:.+\?subject=unsubscribe>$/);
      expect(first.listUnsubscribe).toBeUndefined();
    }
    for (const name of ['Hana Hot', 'Hugo Hot'])
      expect(world.gmail.sent().filter((m) => m.to === email(name))).toHaveLength(1);

    // A reply after the follow-up still counts; silence after it ends the run without more mail.
    const hilda = world.gmail
      .sent()
      .filter((m) => m.to === email('Hilda Hot'))
      .at(-1)!;
    await world.gmail.receive({
      from: email('Hilda Hot'),
      subject: hilda.subject,
      text: 'Yes, call me.',
      threadId: hilda.threadId,
    });
    world.clock.advance(HOUR);
    await cycle();
    expect(leadRecords(world)[email('Hilda Hot')]?.Status).toMatch(/^Replied /);
    world.clock.advance(49 * HOUR);
    await cycle();
    for (const name of ['Hector Hot', 'Hazel Hot']) {
      expect(world.gmail.sent().filter((m) => m.to === email(name))).toHaveLength(2);
      expect(leadRecords(world)[email(name)]?.Status).toMatch(/^Follow-up sent /);
    }
    // Nothing was ever sent to anyone but the leads.
    const allowed = new Set(hotNames.map(email));
    for (const m of world.gmail.sent()) expect(allowed.has(m.to)).toBe(true);
  }, 120_000);
});

describe('leads with a deck template', () => {
  it('copies the Slides template for a hot lead, fills it from the dossier, and links it in the email', async () => {
    scriptScores(world, { 'Dana Deck': { score: 10, confidence: 0.95 } });
    const templateId = world.slides.createPresentation({
      title: 'Pitch deck template',
      slides: [['Hello {{name}}', 'For {{company}}'], ['Why us: {{fit}}']],
    });
    const copies: string[] = [];
    world.drive.onCopy((from, to) => from === templateId && copies.push(to));
    const dir = await tempDir();
    const env = { LEADS_DECK_TEMPLATE_ID: templateId };
    await leadsCycle(world, dir, { env });
    world.addAirtableLead({
      Name: 'Dana Deck',
      Email: 'dana@leads.example',
      Company: 'Deck Works',
      Website: 'https://acme-analytics.example',
    });
    await leadsCycle(world, dir, { env });
    await leadsCycle(world, dir, { env });

    const draft = world.gmail.drafts().find((d) => d.to === 'dana@leads.example')!;
    const deckUrl = /https:\/\/docs\.google\.com\/presentation\/d\/([\w-]+)\/edit/.exec(draft.text);
    expect(deckUrl).not.toBeNull();
    const copyId = deckUrl![1]!;
    expect(copyId).not.toBe(templateId);
    const text = world.slides.text(copyId)!.flat().join('\n');
    expect(text).toContain('Hello Dana Deck');
    expect(text).toContain('For Deck Works');
    expect(text).not.toContain('{{');
    // The template itself is untouched, and one cycle more makes no second copy.
    expect(world.slides.text(templateId)!.flat().join('\n')).toContain('{{name}}');
    await leadsCycle(world, dir, { env });
    expect(copies).toEqual([copyId]);
  });
});

describe('a follow-up the auditor rejects', () => {
  it('goes to a review card instead of out; approved, it is sent as edited, in the outreach thread', async () => {
    let followUpsFail = false;
    scriptScores(world, { 'Fay Follow': { score: 9, confidence: 0.9 } }, (call) =>
      followUpsFail && call.schemaName === 'email_audit'
        ? { verdict: 'FAIL', problems: ['Too pushy for a second email'], corrections: 'Softer, one line.' }
        : undefined,
    );
    const dir = await tempDir();
    await leadsCycle(world, dir);
    world.addAirtableLead({ Name: 'Fay Follow', Email: 'fay@leads.example', Company: 'Follow Co' });
    await leadsCycle(world, dir);
    const outreachCard = world.trello
      .cards('Review')
      .find((c) => c.name === 'Outreach: Fay Follow (Follow Co)')!;
    world.trello.moveCard(outreachCard.id, 'Approved');
    await leadsCycle(world, dir);
    const outreach = world.gmail.sent().find((m) => m.to === 'fay@leads.example')!;

    followUpsFail = true;
    world.clock.advance(49 * HOUR);
    await leadsCycle(world, dir);
    // Nothing went out unattended: the follow-up waits on a card, flagged, with the auditor's reasons.
    expect(world.gmail.sent().filter((m) => m.to === 'fay@leads.example')).toHaveLength(1);
    const card = world.trello.cards('Review').find((c) => c.name === 'Follow-up: Fay Follow (Follow Co)')!;
    expect(card.labels).toContain('Audit failed');
    expect(card.comments.map((c) => c.text).join('\n')).toContain('Too pushy for a second email');
    expect(leadRecords(world)['fay@leads.example']?.Status).toMatch(/^Hot: sent /);

    // The reviewer shortens it on the card and approves: that text goes, in the same thread.
    world.trello.editDescription(
      card.id,
      card.desc.replace(
        /^(Subject: .*\n\n)[\s\S]*?(\n\n---\n)/,
        '$1Just checking this reached you. No rush.$2',
      ),
    );
    world.trello.moveCard(card.id, 'Approved');
    await leadsCycle(world, dir);
    const sent = world.gmail.sent().filter((m) => m.to === 'fay@leads.example');
    expect(sent).toHaveLength(2);
    const followUp = sent.find((m) => m.inReplyTo)!;
    expect(followUp.text.trim()).toBe('Just checking this reached you. No rush.');
    expect(followUp.threadId).toBe(outreach.threadId);
    expect(followUp.inReplyTo).toBe(outreach.messageId);
    expect(leadRecords(world)['fay@leads.example']?.Status).toMatch(/^Follow-up sent /);
  });
});
