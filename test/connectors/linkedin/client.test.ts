// LinkedInClient against the LinkedIn emulator: escaped text arrives whole, images, duplicates, token and version errors.
import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../connectors/core/index.ts';
import {
  escapeLittleText,
  LinkedInClient,
  LinkedInConfigError,
  LinkedInTokenError,
  LinkedInVersionError,
  linkedInConfig,
} from '../../../connectors/linkedin/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { LinkedInEmulator } from '../../../src/sandbox/linkedin/index.ts';
import { useEmulators } from '../../support/msw.ts';

const clock = new ManualClock(Date.UTC(2026, 11, 1, 9, 0));
const linkedin = new LinkedInEmulator({ clock, postsPerDay: 5 });
useEmulators(linkedin.handlers());

const FAST = { maxAttempts: 2, initialDelayMs: 1, maxDelayMs: 2 };
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

function newMember(name: string, scopes?: string[]) {
  const m = linkedin.addMember(name, scopes ? { scopes } : {});
  const client = new LinkedInClient({ accessToken: m.token, author: m.urn, version: '202610', policy: FAST });
  return { ...m, client };
}

describe('escapeLittleText', () => {
  it('escapes every reserved character and nothing else', () => {
    expect(escapeLittleText('a\\b|{c}@[d](e)<f>#g*h_i~ é')).toBe(
      'a\\\\b\\|\\{c\\}\\@\\[d\\]\\(e\\)\\<f\\>\\#g\\*h\\_i\\~ é',
    );
  });
});

describe('LinkedInClient', () => {
  it('publishes text with ( # @ whole, and only because it is escaped', async () => {
    const { client, urn: author, token } = newMember('Pat Poster');
    const text = 'Three things I learned (the hard way) from @Acme: ship daily. #buildinpublic';
    const { urn, duplicate } = await client.createPost({ text });
    expect(duplicate).toBe(false);
    expect(linkedin.post(urn)).toMatchObject({ author, text, cut: false });
    // The same text unescaped is cut at the "(": what the escape prevents.
    const raw = await fetch('https://api.linkedin.com/rest/posts', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'LinkedIn-Version': '202610',
        'X-Restli-Protocol-Version': '2.0.0',
      },
      body: JSON.stringify({
        author,
        commentary: `Unescaped: ${text}`,
        visibility: 'PUBLIC',
        distribution: { feedDistribution: 'MAIN_FEED' },
        lifecycleState: 'PUBLISHED',
      }),
    });
    expect(linkedin.post(raw.headers.get('x-restli-id')!)?.text).toBe('Unescaped: Three things I learned ');
  });

  it('uploads an image and publishes a post with it', async () => {
    const { client } = newMember('Ivy Image');
    const imageUrn = await client.uploadImage(PNG, { mediaType: 'image/png' });
    expect(imageUrn).toMatch(/^urn:li:image:/);
    const { urn } = await client.createPost({ text: 'With a thumbnail', imageUrn });
    const view = linkedin.post(urn);
    expect(view?.image?.urn).toBe(imageUrn);
    expect(view?.image?.bytes).toEqual(PNG);
    expect(view?.image?.mediaType).toBe('image/png');
  });

  it('returns the existing URN on DUPLICATE_POST and never posts twice', async () => {
    const { client, urn: author } = newMember('Dana Dup');
    const first = await client.createPost({ text: 'Exactly once (please)' });
    const again = await client.createPost({ text: 'Exactly once (please)' });
    expect(again).toEqual({ urn: first.urn, duplicate: true });
    expect(linkedin.posts(author)).toHaveLength(1);
  });

  it('retries a lost answer to the post and records the post made, via DUPLICATE_POST', async () => {
    const { client, urn: author } = newMember('Lou Lost');
    linkedin.lostResponses.loseNext(1, { method: 'POST', match: /\/rest\/posts$/ });
    const result = await client.createPost({ text: 'Lost (answer)' });
    expect(result.duplicate).toBe(true);
    expect(linkedin.posts(author).map((p) => p.urn)).toEqual([result.urn]);
    linkedin.lostResponses.loseNext(1, { method: 'POST', match: /\/rest\/posts$/, status: 503 });
    const second = await client.createPost({ text: 'Lost again' });
    expect(second.duplicate).toBe(true);
    expect(
      linkedin
        .posts(author)
        .map((p) => p.urn)
        .sort(),
    ).toEqual([result.urn, second.urn].sort());
  });

  it('finds a post after a crash when the token may read posts, and says so when it may not', async () => {
    const reader = newMember('Rita Reader', ['openid', 'w_member_social', 'r_member_social']);
    const { urn } = await reader.client.createPost({ text: 'Crash (test) #1' });
    expect(await reader.client.findPost({ text: 'Crash (test) #1' })).toEqual({ supported: true, urn });
    expect(await reader.client.findPost({ text: 'Never posted' })).toEqual({ supported: true });
    const plain = newMember('Walt Writer');
    await plain.client.createPost({ text: 'Crash (test) #2' });
    expect(await plain.client.findPost({ text: 'Crash (test) #2' })).toEqual({ supported: false });
  });

  it('names the renewal for an expired or revoked token, and works again with a new one', async () => {
    const m = newMember('Tom Token');
    linkedin.expireToken(m.token);
    const expired = await m.client.createPost({ text: 'Expired' }).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(LinkedInTokenError);
    expect(expired).toMatchObject({ reason: 'expired', status: 401 });
    expect(String((expired as Error).message)).toMatch(/60 days.*LINKEDIN_ACCESS_TOKEN/);
    expect(String((expired as Error).message)).not.toContain(m.token);
    await expect(m.client.checkToken()).rejects.toBeInstanceOf(LinkedInTokenError);
    linkedin.addToken('renewed-token', m.sub);
    const renewed = new LinkedInClient({
      accessToken: 'renewed-token',
      author: m.urn,
      version: '202610',
      policy: FAST,
    });
    expect((await renewed.createPost({ text: 'Expired' })).duplicate).toBe(false);
    linkedin.revokeToken('renewed-token');
    await expect(renewed.createPost({ text: 'Revoked' })).rejects.toMatchObject({ reason: 'revoked' });
  });

  it('names LINKEDIN_VERSION when the version is sunset, in checkToken too', async () => {
    const m = newMember('Val Version');
    const old = new LinkedInClient({ accessToken: m.token, author: m.urn, version: '202510', policy: FAST });
    const err = await old.createPost({ text: 'Old version' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LinkedInVersionError);
    expect(String((err as Error).message)).toContain('LINKEDIN_VERSION');
    await expect(old.checkToken()).rejects.toBeInstanceOf(LinkedInVersionError);
    expect(linkedin.posts(m.urn)).toHaveLength(0);
  });

  it('checkToken names the member and whether LINKEDIN_AUTHOR is theirs', async () => {
    const m = newMember('Carla Check');
    expect(await m.client.checkToken()).toEqual({
      member: { sub: m.sub, name: 'Carla Check', urn: m.urn },
      authorMatches: true,
    });
    const other = new LinkedInClient({
      accessToken: m.token,
      author: 'urn:li:person:someoneElse',
      version: '202610',
    });
    expect((await other.checkToken()).authorMatches).toBe(false);
  });

  it('stops at the daily limit with a retryable error instead of hammering', async () => {
    const { client } = newMember('Lim Limit');
    for (let i = 0; i < 5; i++) await client.createPost({ text: `Post ${i}` });
    const err = await client.createPost({ text: 'One too many' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceError);
    expect(err).toMatchObject({ status: 429, retryable: true });
  });
});

describe('linkedInConfig', () => {
  it('validates the author URN and the version, naming the variable', () => {
    const env = { LINKEDIN_ACCESS_TOKEN: 't', LINKEDIN_AUTHOR: 'urn:li:person:abc123' };
    expect(linkedInConfig(env)).toEqual({
      accessToken: 't',
      author: 'urn:li:person:abc123',
      version: '202610',
    });
    expect(
      linkedInConfig({ ...env, LINKEDIN_AUTHOR: 'urn:li:organization:42', LINKEDIN_VERSION: '202605' })
        .version,
    ).toBe('202605');
    for (const [variable, bad] of [
      ['LINKEDIN_AUTHOR', { ...env, LINKEDIN_AUTHOR: 'https://linkedin.com/in/abc' }],
      ['LINKEDIN_AUTHOR', { ...env, LINKEDIN_AUTHOR: 'urn:li:organization:acme' }],
      ['LINKEDIN_VERSION', { ...env, LINKEDIN_VERSION: '2026-10' }],
      ['LINKEDIN_ACCESS_TOKEN', { LINKEDIN_AUTHOR: 'urn:li:person:abc' }],
    ] as const) {
      expect(() => linkedInConfig(bad)).toThrow(LinkedInConfigError);
      try {
        linkedInConfig(bad);
      } catch (e) {
        expect((e as LinkedInConfigError).variable).toBe(variable);
      }
    }
  });
});
