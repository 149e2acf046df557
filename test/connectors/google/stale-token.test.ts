// A 401 for an access token this machine still believes fresh (its clock is behind Google's, or it
// jumped) gets one new token and the request goes through; a 401 a new token does not cure, and a
// 403, fail as they are, with no more tries.
import { http } from 'msw';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError } from '../../../connectors/core/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { ROBOT, sheetsWorld, USER } from '../sheets/fixture.ts';

const HOUR = 3_600_000;
const world = sheetsWorld();
const { auth, clock, emulator } = world;
const server = useEmulators(auth.handlers(), emulator.handlers());

let id: string;
beforeEach(() => {
  id = emulator.createSpreadsheet({ tabs: { Leads: [['Name'], ['Ada']] }, sharedWith: [USER, ROBOT] });
});
afterEach(() => server.resetHandlers());

/** Token requests `act` made. */
async function tokenRequestsOf(act: () => Promise<unknown>): Promise<number> {
  const before = auth.tokenRequests;
  await act();
  return auth.tokenRequests - before;
}

describe('an access token Google ended before this machine expected', () => {
  it('is replaced once, and the read goes through (OAuth refresh token)', async () => {
    const sheets = world.client();
    await sheets.read(id, "'Leads'!A2");
    // Two hours pass for Google; the client, judging by this machine's clock, keeps its token.
    clock.advance(2 * HOUR);
    let values: unknown;
    expect(
      await tokenRequestsOf(async () => {
        values = (await sheets.read(id, "'Leads'!A2")).values;
      }),
    ).toBe(1);
    expect(values).toEqual([['Ada']]);
  });

  it('is replaced once, and the read goes through (service account)', async () => {
    const sheets = world.robotClient();
    await sheets.read(id, "'Leads'!A2");
    clock.advance(2 * HOUR);
    expect(await tokenRequestsOf(async () => sheets.read(id, "'Leads'!A2"))).toBe(1);
  });

  it('fails as sign-in trouble when the new token is refused too, after one new token', async () => {
    // Every request arrives two hours after its token was issued: no token is ever good.
    server.use(
      http.all(/^https:\/\/sheets\.googleapis\.com\//, () => {
        clock.advance(2 * HOUR);
        return undefined;
      }),
    );
    const sheets = world.client();
    let err: unknown;
    expect(
      await tokenRequestsOf(async () => {
        err = await sheets.read(id, "'Leads'!A2").catch((e: unknown) => e);
      }),
    ).toBe(2); // the first token, and one more after the 401
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toMatch(/re-run `baton auth google`/);
  });
});

describe('a 403', () => {
  it('gets no new token: permission is not about the token', async () => {
    const secret = emulator.createSpreadsheet({ tabs: { Leads: [['Name']] }, sharedWith: [USER] });
    const sheets = world.robotClient();
    await sheets.read(id, "'Leads'!A1"); // signed in
    let err: unknown;
    expect(
      await tokenRequestsOf(async () => {
        err = await sheets.read(secret, "'Leads'!A1").catch((e: unknown) => e);
      }),
    ).toBe(0);
    expect(err).toBeInstanceOf(AuthError);
  });
});
