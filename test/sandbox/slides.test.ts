// The Slides emulator (and Drive's files.copy) through @googleapis/slides and @googleapis/drive.
import { drive } from '@googleapis/drive';
import { slides } from '@googleapis/slides';
import { beforeEach, describe, expect, it } from 'vitest';
import { createGoogleAuth } from '../../connectors/google/index.ts';
import { ManualClock } from '../../src/clock.ts';
import { DriveEmulator } from '../../src/sandbox/drive/index.ts';
import { GoogleAuthEmulator } from '../../src/sandbox/google/auth.ts';
import { PRESENTATION_MIME, SlidesEmulator } from '../../src/sandbox/slides/index.ts';
import { useEmulators } from '../support/msw.ts';

const OWNER = 'studio@example.com';
const AUTH = 'https://www.googleapis.com/auth/';
const OAUTH = { clientId: 'slides-client', clientSecret: 'slides-secret' };
const clock = new ManualClock();
const auth = new GoogleAuthEmulator(clock);
const driveEmu = new DriveEmulator({ auth, clock, owner: OWNER });
const slidesEmu = new SlidesEmulator({ auth, drive: driveEmu, clock });
const tokens = {
  full: [`${AUTH}drive`, `${AUTH}presentations`],
  appFilesOnly: [`${AUTH}drive.file`],
  gmailOnly: [`${AUTH}gmail.compose`],
};
for (const [name, scopes] of Object.entries(tokens))
  auth.registerRefreshToken({ ...OAUTH, refreshToken: `rt-${name}`, email: OWNER, scopes });
useEmulators(auth.handlers(), driveEmu.handlers(), slidesEmu.handlers());

const signIn = (token: keyof typeof tokens) =>
  createGoogleAuth({ kind: 'oauth', ...OAUTH, refreshToken: `rt-${token}` }, []);
const driveSdk = (token: keyof typeof tokens = 'full') =>
  drive({ version: 'v3', retry: false, auth: signIn(token) });
const slidesSdk = (token: keyof typeof tokens = 'full') =>
  slides({ version: 'v1', retry: false, auth: signIn(token) });

/** The Google error an SDK call fails with: status and body. */
async function failure(call: Promise<unknown>): Promise<{ status: number; message: string; body: unknown }> {
  const err = (await call.then(
    () => undefined,
    (e: unknown) => e,
  )) as { response?: { status: number; data: unknown } } | undefined;
  expect(err?.response).toBeDefined();
  const data = err!.response!.data;
  const body = (typeof data === 'string' ? JSON.parse(data) : data) as { error: { message: string } };
  return { status: err!.response!.status, message: body.error.message, body };
}

let template: string;
beforeEach(() => {
  template = slidesEmu.createPresentation({
    title: 'Pitch deck template',
    slides: [['Hello {{name}}', 'For {{company}} — {{Company}}'], ['{{name}}, let us talk']],
  });
});

describe('Drive files.copy of a presentation', () => {
  it('copies the slides, names and places the copy from the body, and keeps appProperties', async () => {
    const folder = driveEmu.createFolder('Decks');
    const res = await driveSdk().files.copy({
      fileId: template,
      supportsAllDrives: true,
      fields: 'id,name,mimeType,parents,appProperties',
      requestBody: { name: 'Deck for Ada', parents: [folder], appProperties: { batonKey: 'k1' } },
    });
    expect(res.data).toEqual({
      id: expect.any(String),
      name: 'Deck for Ada',
      mimeType: PRESENTATION_MIME,
      parents: [folder],
      appProperties: { batonKey: 'k1' },
    });
    const copy = await slidesSdk().presentations.get({ presentationId: res.data.id! });
    expect(copy.data.title).toBe('Deck for Ada');
    expect(copy.data.presentationId).toBe(res.data.id);
    const runs = copy.data.slides?.[0]?.pageElements?.[0]?.shape?.text?.textElements?.map(
      (e) => e.textRun?.content,
    );
    expect(runs).toEqual([undefined, 'Hello {{name}}\n']);
    expect(copy.data.slides?.map((s) => s.objectId)).toEqual(
      (await slidesSdk().presentations.get({ presentationId: template })).data.slides?.map((s) => s.objectId),
    );
  });

  it('names the copy "Copy of …" beside its source when the body says nothing', async () => {
    const res = await driveSdk().files.copy({ fileId: template, fields: 'name,parents' });
    expect(res.data.name).toBe('Copy of Pitch deck template');
    expect(res.data.parents).toEqual(driveEmu.file(template)?.parents);
  });

  it('answers 404 File not found for an unknown file and for a drive.file token the template is hidden from', async () => {
    const unknown = await failure(driveSdk().files.copy({ fileId: 'no-such-file' }));
    expect(unknown).toMatchObject({ status: 404, message: 'File not found: no-such-file.' });
    const hidden = await failure(driveSdk('appFilesOnly').files.copy({ fileId: template }));
    expect(hidden).toMatchObject({ status: 404, message: `File not found: ${template}.` });
    const slidesHidden = await failure(
      slidesSdk('appFilesOnly').presentations.get({ presentationId: template }),
    );
    expect(slidesHidden).toMatchObject({ status: 404, message: 'Requested entity was not found.' });
    // What the app made itself stays within a drive.file token's reach.
    const made = await driveSdk().files.copy({ fileId: template });
    const opened = await slidesSdk('appFilesOnly').presentations.get({ presentationId: made.data.id! });
    expect(opened.data.title).toBe('Copy of Pitch deck template');
  });
});

describe('presentations.batchUpdate', () => {
  it('replaces all text, case-insensitively unless matchCase, and counts what changed', async () => {
    const res = await slidesSdk().presentations.batchUpdate({
      presentationId: template,
      requestBody: {
        requests: [
          { replaceAllText: { containsText: { text: '{{name}}', matchCase: true }, replaceText: 'Ada' } },
          { replaceAllText: { containsText: { text: '{{company}}' }, replaceText: 'Analytical Engines' } },
          { replaceAllText: { containsText: { text: '{{missing}}', matchCase: true }, replaceText: 'x' } },
        ],
      },
    });
    expect(res.data.replies).toEqual([
      { replaceAllText: { occurrencesChanged: 2 } },
      { replaceAllText: { occurrencesChanged: 2 } },
      { replaceAllText: {} },
    ]);
    expect(slidesEmu.text(template)).toEqual([
      ['Hello Ada\n', 'For Analytical Engines — Analytical Engines\n'],
      ['Ada, let us talk\n'],
    ]);
    expect(res.data.writeControl?.requiredRevisionId).toEqual(expect.any(String));
  });

  it('answers 400 like Google for an unknown request kind, and changes nothing (atomic)', async () => {
    const unknown = await failure(
      slidesSdk().presentations.batchUpdate({
        presentationId: template,
        requestBody: {
          requests: [
            { replaceAllText: { containsText: { text: '{{name}}' }, replaceText: 'Ada' } },
            { fillPlaceholders: {} } as never,
          ],
        },
      }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.message).toBe(
      `Invalid JSON payload received. Unknown name "fillPlaceholders" at 'requests[1]': Cannot find field.`,
    );
    expect(unknown.body).toMatchObject({ error: { status: 'INVALID_ARGUMENT' } });
    expect(slidesEmu.text(template)?.[1]).toEqual(['{{name}}, let us talk\n']);
    const empty = await failure(
      slidesSdk().presentations.batchUpdate({ presentationId: template, requestBody: { requests: [{}] } }),
    );
    expect(empty).toMatchObject({ status: 400, message: 'Invalid requests[0]: No request set.' });
    const none = await failure(
      slidesSdk().presentations.batchUpdate({ presentationId: template, requestBody: { requests: [] } }),
    );
    expect(none.status).toBe(400);
    const blank = await failure(
      slidesSdk().presentations.batchUpdate({
        presentationId: template,
        requestBody: { requests: [{ replaceAllText: { containsText: { text: '' }, replaceText: 'x' } }] },
      }),
    );
    expect(blank.status).toBe(400);
  });

  it('needs a Slides or Drive scope, and 404s an unknown presentation', async () => {
    const scopes = await failure(slidesSdk('gmailOnly').presentations.get({ presentationId: template }));
    expect(scopes).toMatchObject({ status: 403, message: 'Request had insufficient authentication scopes.' });
    const missing = await failure(slidesSdk().presentations.get({ presentationId: 'nope' }));
    expect(missing.status).toBe(404);
  });

  it('answers a fields mask with just those fields', async () => {
    const res = await slidesSdk().presentations.get({
      presentationId: template,
      fields: 'title,slides(objectId)',
    });
    expect(Object.keys(res.data).sort()).toEqual(['slides', 'title']);
    expect(res.data.slides?.[0]).toEqual({ objectId: expect.any(String) });
  });
});
