// makeDeck through @googleapis/drive and @googleapis/slides against the Drive and Slides emulators.
import { beforeEach, describe, expect, it } from 'vitest';
import { AuthError, ServiceError } from '../../../connectors/core/index.ts';
import { DriveClient, KEY_PROPERTY } from '../../../connectors/drive/index.ts';
import { createGoogleAuth, GOOGLE_SCOPES } from '../../../connectors/google/index.ts';
import {
  DeckTemplateNotFoundError,
  MAX_VALUE_CHARS,
  makeDeck,
  SlidesClient,
} from '../../../connectors/slides/index.ts';
import { ManualClock } from '../../../src/clock.ts';
import { DriveEmulator } from '../../../src/sandbox/drive/index.ts';
import { GoogleAuthEmulator } from '../../../src/sandbox/google/auth.ts';
import { SlidesEmulator } from '../../../src/sandbox/slides/index.ts';
import { useEmulators } from '../../support/msw.ts';

const OWNER = 'studio@example.com';
const OAUTH = { clientId: 'deck-client', clientSecret: 'deck-secret' };
const clock = new ManualClock();
const auth = new GoogleAuthEmulator(clock);
const driveEmu = new DriveEmulator({ auth, clock, owner: OWNER, requestsPerMinute: 100_000 });
const slidesEmu = new SlidesEmulator({ auth, drive: driveEmu, clock, writesPerMinute: 100_000 });
const SIGN_INS = {
  deck: [GOOGLE_SCOPES.gmail, GOOGLE_SCOPES.driveFull, GOOGLE_SCOPES.presentations],
  driveFileOnly: [GOOGLE_SCOPES.gmail, GOOGLE_SCOPES.driveFile],
  gmailOnly: [GOOGLE_SCOPES.gmail],
};
for (const [name, scopes] of Object.entries(SIGN_INS))
  auth.registerRefreshToken({ ...OAUTH, refreshToken: `rt-${name}`, email: OWNER, scopes });
useEmulators(auth.handlers(), driveEmu.handlers(), slidesEmu.handlers());

const fast = { limit: 1000, intervalMs: 1000 };
const policy = { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 };
/** Drive and Slides clients signed in as the user, as a recipe would build them. */
function clients(signIn: keyof typeof SIGN_INS = 'deck') {
  const googleAuth = createGoogleAuth({ kind: 'oauth', ...OAUTH, refreshToken: `rt-${signIn}` }, []);
  return {
    drive: new DriveClient({ auth: googleAuth, limits: { read: fast, write: fast }, policy }),
    slides: new SlidesClient({ auth: googleAuth, limits: { read: fast, write: fast }, policy }),
  };
}

let template: string;
let decks: string;
beforeEach(() => {
  slidesEmu.faults.clear();
  decks = driveEmu.createFolder('Lead decks', { sharedWith: [] });
  template = slidesEmu.createPresentation({
    title: 'Deck template',
    slides: [['Hello {{name}}', '{{company}} × Sandbox Studio'], ['Why {{company}}? {{reason}}']],
  });
});

const keyed = (key: string) =>
  [...driveEmu.files(decks)].filter((f) => f.appProperties[KEY_PROPERTY] === key && !f.trashed);

describe('makeDeck', () => {
  it('copies the template, fills its placeholders and links the copy', async () => {
    const deck = await makeDeck({
      ...clients(),
      templateId: template,
      name: 'Ada Lovelace — Analytical Engines',
      values: { name: 'Ada', company: 'Analytical Engines', reason: 'You ship weekly.', budget: '10k' },
      idempotencyKey: 'run-1/deck',
      folderId: decks,
    });
    expect(deck).toEqual({
      fileId: expect.any(String),
      url: `https://docs.google.com/presentation/d/${deck.fileId}/edit`,
      replaced: 4,
      missing: ['budget'],
      truncated: [],
      created: true,
    });
    expect(driveEmu.file(deck.fileId)).toMatchObject({
      name: 'Ada Lovelace — Analytical Engines',
      parents: [decks],
      appProperties: { [KEY_PROPERTY]: 'run-1/deck' },
    });
    expect(slidesEmu.text(deck.fileId)).toEqual([
      ['Hello Ada\n', 'Analytical Engines × Sandbox Studio\n'],
      ['Why Analytical Engines? You ship weekly.\n'],
    ]);
    // The template stays as the user made it.
    expect(slidesEmu.text(template)?.[0]).toEqual(['Hello {{name}}\n', '{{company}} × Sandbox Studio\n']);
  });

  it('copies once when replayed with the same key, after success or a crash before filling', async () => {
    const input = {
      templateId: template,
      name: 'Deck for Grace',
      values: { name: 'Grace', company: 'COBOL Inc', reason: 'Compilers.' },
      folderId: decks,
    };
    // A crash between the copy and the fill: Slides keeps failing, the step fails after the copy.
    slidesEmu.faults.failNext(10, 503, { match: /batchUpdate/ });
    const crashed = await makeDeck({ ...clients(), ...input, idempotencyKey: 'run-2/deck' }).catch((e) => e);
    expect(crashed).toBeInstanceOf(ServiceError);
    expect((crashed as ServiceError).retryable).toBe(true);
    expect(keyed('run-2/deck')).toHaveLength(1);
    slidesEmu.faults.clear();

    const replayed = await makeDeck({ ...clients(), ...input, idempotencyKey: 'run-2/deck' });
    const again = await makeDeck({ ...clients(), ...input, idempotencyKey: 'run-2/deck' });
    expect(keyed('run-2/deck')).toHaveLength(1);
    expect(replayed).toMatchObject({ fileId: keyed('run-2/deck')[0]!.id, created: false, replaced: 4 });
    expect(again).toEqual({ ...replayed });
    expect(slidesEmu.text(replayed.fileId)?.[1]).toEqual(['Why COBOL Inc? Compilers.\n']);
    expect(slidesEmu.requests.count({ method: 'POST', path: /batchUpdate/ })).toBeGreaterThanOrEqual(2);
  });

  it('treats values as data: a value spelling a placeholder is not expanded, and long values are cut', async () => {
    const deck = await makeDeck({
      ...clients(),
      templateId: template,
      name: 'Deck for Mallory',
      values: { name: '{{company}}', company: 'Acme', reason: `}${'x'.repeat(5000)}{` },
      idempotencyKey: 'run-3/deck',
      folderId: decks,
    });
    const [first, second] = slidesEmu.text(deck.fileId) ?? [];
    const visible = (s: string | undefined) => s?.replace(/\u200B/g, '');
    expect(visible(first?.[0])).toBe('Hello {{company}}\n');
    expect(first?.[0]).not.toContain('{{company}}');
    expect(first?.[1]).toBe('Acme × Sandbox Studio\n');
    expect(deck.truncated).toEqual(['reason']);
    expect(Array.from(visible(second?.[0]) ?? '').length).toBeLessThan(MAX_VALUE_CHARS + 20);
    expect(second?.[0]).toContain('…');
  });

  it('says the template is not found or not shared to a drive.file-only sign-in, naming the setting and the scopes', async () => {
    const refused = await makeDeck({
      ...clients('driveFileOnly'),
      templateId: template,
      name: 'Deck',
      values: { name: 'Ada' },
      idempotencyKey: 'run-4/deck',
    }).catch((e) => e);
    expect(refused).toBeInstanceOf(DeckTemplateNotFoundError);
    expect((refused as Error).message).toBe(
      `Slides template ${template} not found or not shared with the Google account Baton uses — check LEADS_DECK_TEMPLATE_ID and share the file, or re-run \`baton auth google\` (the deck needs the drive and presentations scopes)`,
    );
    expect(driveEmu.files(decks)).toEqual([]);
  });

  it('says the same for a template nobody shared, and asks for the scopes when the sign-in has no Slides access', async () => {
    const private_ = slidesEmu.createPresentation({
      title: 'Not ours',
      slides: [['x']],
      owner: 'other@example.com',
    });
    const input = { name: 'Deck', values: {}, idempotencyKey: 'run-5/deck' };
    await expect(makeDeck({ ...clients(), ...input, templateId: private_ })).rejects.toBeInstanceOf(
      DeckTemplateNotFoundError,
    );
    const noScope = await makeDeck({ ...clients('gmailOnly'), ...input, templateId: template }).catch(
      (e) => e,
    );
    expect(noScope).toBeInstanceOf(AuthError);
    expect((noScope as Error).message).toMatch(
      /cannot copy and fill the Slides template .*drive and presentations scopes/,
    );
  });

  it('refuses a file that is not a presentation, and placeholder names that are not plain words', async () => {
    const doc = driveEmu.createGoogleFile('Notes', 'application/vnd.google-apps.document');
    const notDeck = await makeDeck({
      ...clients(),
      templateId: doc,
      name: 'Deck',
      values: {},
      idempotencyKey: 'run-6/deck',
    }).catch((e) => e);
    expect((notDeck as Error).message).toMatch(
      /LEADS_DECK_TEMPLATE_ID \(.+\) is not a Google Slides presentation/,
    );
    await expect(
      makeDeck({
        ...clients(),
        templateId: template,
        name: 'Deck',
        values: { '{{x}}': 'y' },
        idempotencyKey: 'k',
      }),
    ).rejects.toThrow(/placeholder names use letters/);
  });
});
