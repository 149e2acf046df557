// The LinkedIn emulator answers like api.linkedin.com: version and protocol headers, field checks, little-text cuts.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { LinkedInEmulator, readLittleText } from '../../src/sandbox/linkedin/index.ts';
import { useEmulators } from '../support/msw.ts';

const clock = new ManualClock(Date.UTC(2026, 11, 1, 9, 0));
const linkedin = new LinkedInEmulator({ clock });
const member = linkedin.addMember('Sam Sandbox');
useEmulators(linkedin.handlers());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch('https://api.linkedin.com/rest/posts', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${member.token}`,
      'LinkedIn-Version': '202610',
      'X-Restli-Protocol-Version': '2.0.0',
      'Content-Type': 'application/json',
      ...headers,
    },
    body: JSON.stringify(body),
  });

const valid = (commentary: string) => ({
  author: member.urn,
  commentary,
  visibility: 'PUBLIC',
  distribution: { feedDistribution: 'MAIN_FEED', targetEntities: [], thirdPartyDistributionChannels: [] },
  lifecycleState: 'PUBLISHED',
});

describe('little text', () => {
  it('cuts at the first unescaped reserved character and keeps escaped ones', () => {
    expect(readLittleText('Launch (beta) today')).toEqual({ raw: 'Launch ', shown: 'Launch ', cut: true });
    expect(readLittleText('Launch \\(beta\\) \\#ai')).toMatchObject({
      shown: 'Launch (beta) #ai',
      cut: false,
    });
    expect(readLittleText('a \\q')).toMatchObject({ shown: 'a ', cut: true });
  });
});

describe('Posts API', () => {
  it('answers 201 with an empty body and the URN in x-restli-id, and stores the cut text silently', async () => {
    const res = await post(valid('We shipped it (finally) #launch'));
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('');
    const urn = res.headers.get('x-restli-id');
    expect(urn).toMatch(/^urn:li:share:\d{19}$/);
    expect(linkedin.post(urn!)).toMatchObject({ text: 'We shipped it ', cut: true });
  });

  it('requires the version and protocol headers: 400 missing, 426 sunset, future or malformed', async () => {
    expect((await post(valid('v'), { 'LinkedIn-Version': '' })).status).toBe(400);
    for (const version of ['202510', '202511', '202701', 'v2', '2026-10']) {
      const res = await post(valid('v'), { 'LinkedIn-Version': version });
      expect(res.status).toBe(426);
      expect(await res.json()).toMatchObject({ code: 'NONEXISTENT_VERSION' });
    }
    expect((await post(valid('v'), { 'LinkedIn-Version': '202512' })).status).toBe(201);
    expect((await post(valid('p'), { 'X-Restli-Protocol-Version': '1.0.0' })).status).toBe(400);
  });

  it('checks the required fields with 422 naming the field', async () => {
    const { visibility: _v, ...noVisibility } = valid('x');
    const res = await post(noVisibility);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({
      errorDetails: {
        inputErrors: [{ code: 'FIELD_REQUIRED', input: { inputPath: { fieldPath: '/visibility' } } }],
      },
    });
    expect((await post({ ...valid('x'), lifecycleState: 'LIVE' })).status).toBe(422);
    expect((await post({ ...valid('x'), author: 'urn:li:person:someoneElse' })).status).toBe(403);
    expect((await post({ ...valid('x'), content: { media: { id: 'urn:li:image:nope' } } })).status).toBe(422);
  });

  it('lets an admin post as the organization with w_organization_social', async () => {
    const admin = linkedin.addMember('Ada Admin', { scopes: ['openid', 'w_organization_social'] });
    const org = linkedin.addOrganization('Sandbox Studio', [admin.sub]);
    const res = await post(
      { ...valid('From the page'), author: org },
      { Authorization: `Bearer ${admin.token}` },
    );
    expect(res.status).toBe(201);
    const outsider = await post({ ...valid('Not mine'), author: org });
    expect(outsider.status).toBe(403);
  });
});
