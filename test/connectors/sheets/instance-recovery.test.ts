// The recovery of in-flight rows after a lost data folder never takes over a row whose claim
// belongs to another live Baton instance; once that instance's heartbeat is stale, it does.
import { describe, expect, it } from 'vitest';
import { INSTANCE_KEY, newRows, sheetsInstanceHome } from '../../../connectors/sheets/index.ts';
import type { Heartbeat } from '../../../src/instances/index.ts';
import { useEmulators } from '../../support/msw.ts';
import { memoryCursor, pollContext, sheetsWorld } from './fixture.ts';

const world = sheetsWorld();
const { clock, auth, emulator } = world;
useEmulators(auth.handlers(), emulator.handlers());

const LIVE = 'aaaaaaaa';
const ME = 'bbbbbbbb';

describe('recovery of in-flight rows with other instances about', () => {
  it("leaves a live instance's claims alone, recovers its own, ownerless and stale ones", async () => {
    const id = emulator.createSpreadsheet({
      tabs: {
        Leads: [
          ['Name', 'Email', 'Status', 'Baton Run'],
          ['Ann', 'ann@example.com', 'In review', `ann@example.com#11111111-${LIVE}`],
          ['Bea', 'bea@example.com', 'In review', `bea@example.com#22222222-${ME}`],
          ['Cid', 'cid@example.com', 'In review', 'cid@example.com#33333333'],
        ],
      },
    });
    const client = world.client();
    const beat: Heartbeat = {
      id: LIVE,
      host: 'vps-1',
      dataDir: '/srv/baton/data',
      pid: 4242,
      startedAt: clock.now(),
      beatAt: clock.now(),
      staleAfterMs: 120_000,
    };
    await client.replaceSheetMetadata(id, INSTANCE_KEY, JSON.stringify(beat), []);
    sheetsInstanceHome(client, id).joined(ME);
    const options = {
      spreadsheetId: id,
      tab: 'Leads',
      keyColumn: 'Email',
      inFlightStatuses: ['In review'],
      clock,
    };

    const recovered = async () => {
      const trigger = newRows(client, options); // a fresh process: its first poll reconciles
      const items = (await trigger.poll(pollContext(clock, memoryCursor()))).items ?? [];
      return items
        .filter((i) => i.claimed)
        .map((i) => i.payload.values.Email)
        .sort();
    };
    expect(await recovered()).toEqual(['bea@example.com', 'cid@example.com']);

    clock.advance(121_000); // the other instance stopped renewing: its heartbeat is stale
    expect(await recovered()).toEqual(['ann@example.com', 'bea@example.com', 'cid@example.com']);
  });
});
