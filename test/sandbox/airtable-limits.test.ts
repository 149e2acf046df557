// The Airtable emulator's rate limits: 5 requests per second per base, the 429 body, and the 30-second penalty.
import Airtable from 'airtable';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { AirtableEmulator, RATE_LIMIT_MESSAGE } from '../../src/sandbox/airtable/index.ts';
import { useEmulators } from '../support/msw.ts';

const clock = new ManualClock();
const airtable = new AirtableEmulator({ clock });
useEmulators(airtable.handlers());
airtable.addToken('pat-baton');

let crm: string;
let other: string;
const list = (baseId: string) =>
  fetch(`https://api.airtable.com/v0/${baseId}/Leads`, {
    headers: { Authorization: 'Bearer pat-baton' },
  });

beforeEach(() => {
  clock.advance(120_000); // past any earlier window or penalty
  crm = airtable.createBase('CRM');
  other = airtable.createBase('Other');
  for (const b of [crm, other]) airtable.createTable(b, 'Leads', [{ name: 'Name', type: 'singleLineText' }]);
});

describe('rate limits', () => {
  it('allows 5 requests per second per base and answers the 6th with the observed 429 body', async () => {
    for (let i = 0; i < 5; i++) expect((await list(crm)).status).toBe(200);
    const refused = await list(crm);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      errors: [{ error: 'RATE_LIMIT_REACHED', message: RATE_LIMIT_MESSAGE }],
    });
    expect((await list(other)).status).toBe(200); // another base has its own budget
  });

  it('refuses every request to that base for the next 30 seconds of its clock, then recovers', async () => {
    for (let i = 0; i < 6; i++) await list(crm);
    expect(airtable.inPenalty(crm)).toBe(true);
    clock.advance(1_000);
    expect((await list(crm)).status).toBe(429); // a fresh second does not lift the penalty
    clock.advance(28_999);
    expect((await list(crm)).status).toBe(429);
    clock.advance(1);
    expect(airtable.inPenalty(crm)).toBe(false);
    expect((await list(crm)).status).toBe(200);
  });

  it('reaches airtable.js as TOO_MANY_REQUESTS when its own retries are off', async () => {
    const sdk = new Airtable({ apiKey: 'pat-baton', noRetryIfRateLimited: true }).base(crm);
    for (let i = 0; i < 5; i++) await sdk('Leads').select().firstPage();
    await expect(sdk('Leads').select().firstPage()).rejects.toMatchObject({
      error: 'TOO_MANY_REQUESTS',
      statusCode: 429,
    });
    const refused = airtable.requests.filter({ path: new RegExp(crm) }).filter((r) => r.status === 429);
    expect(refused).toHaveLength(1);
  });
});
