// Where Baton instances polling a spreadsheet announce themselves: spreadsheet-level developer metadata.
import { type Heartbeat, type InstanceHome, isLive, parseHeartbeat } from '../../src/instances/index.ts';
import type { SheetsClient } from './client.ts';

/** The metadata key of an instance's heartbeat; its value is the Heartbeat as JSON. */
export const INSTANCE_KEY = 'baton.instance';

/**
 * A spreadsheet as an instance home. Each instance keeps one spreadsheet-level developer metadata
 * entry `baton.instance` = `{id, host, dataDir, pid, startedAt, beatAt, staleAfterMs}`:
 * - spreadsheet-level, so it is one entry whatever the tabs, and no user edit, sort or row delete
 *   can move or remove it (row tags can);
 * - visibility DOCUMENT, not PROJECT: a laptop signed in with its own OAuth client (another Google
 *   Cloud project) must see the VPS's heartbeat, and PROJECT metadata is visible only to its project;
 * - invisible in the sheet's UI, so nothing shows to people working in it;
 * - cheap: one search at start (two with the read-back), then one write per poll to renew it —
 *   writes have their own 60-a-minute budget, and the poll's reads are left alone.
 */
export class SheetsInstanceHome implements InstanceHome {
  readonly id: string;
  readonly label: string;
  readonly #client: SheetsClient;
  readonly #spreadsheetId: string;
  /** Metadata ids by instance id, as last listed (what `announce` and `remove` delete). */
  #ids = new Map<string, number[]>();
  /** Our heartbeat's metadata id, and the instance id it was written for. */
  #mine: number | undefined;
  #mineFor: string | undefined;
  #self: string | undefined;

  constructor(client: SheetsClient, spreadsheetId: string) {
    this.#client = client;
    this.#spreadsheetId = spreadsheetId;
    this.id = `sheets:${spreadsheetId}`;
    this.label = `spreadsheet ${spreadsheetId}`;
  }

  /** This process's instance id once it announced itself here (claims carry it). */
  get self(): string | undefined {
    return this.#self;
  }

  joined(selfId: string): void {
    this.#self = selfId;
  }

  async list(): Promise<Heartbeat[]> {
    const found = await this.#client.sheetMetadata(this.#spreadsheetId, INSTANCE_KEY);
    const ids = new Map<string, number[]>();
    const beats: Heartbeat[] = [];
    for (const { metadataId, value } of found) {
      const beat = parseHeartbeat(value);
      if (!beat) continue; // not ours to judge, nor to delete
      ids.set(beat.id, [...(ids.get(beat.id) ?? []), metadataId]);
      beats.push(beat);
    }
    this.#ids = ids;
    return beats;
  }

  async announce(beat: Heartbeat, replaces: string[]): Promise<void> {
    const remove = replaces.flatMap((id) => this.#ids.get(id) ?? []);
    this.#mineFor = beat.id;
    this.#mine = await this.#client.replaceSheetMetadata(
      this.#spreadsheetId,
      INSTANCE_KEY,
      JSON.stringify(beat),
      remove,
    );
  }

  async renew(beat: Heartbeat): Promise<boolean> {
    if (this.#mine === undefined) return false;
    const kept = await this.#client.updateSheetMetadata(
      this.#spreadsheetId,
      this.#mine,
      JSON.stringify(beat),
    );
    if (!kept) this.#mine = undefined;
    return kept;
  }

  async remove(ids: string[]): Promise<void> {
    const metadataIds = ids.flatMap((id) => this.#ids.get(id) ?? []);
    if (this.#mineFor !== undefined && ids.includes(this.#mineFor) && this.#mine !== undefined) {
      metadataIds.push(this.#mine);
      this.#mine = undefined;
    }
    await this.#client.deleteSheetMetadata(this.#spreadsheetId, [...new Set(metadataIds)]);
  }

  /** Ids of the live instances other than this one (one read): whose claims recovery must leave alone. */
  async liveOthers(now: number): Promise<Set<string>> {
    const beats = await this.list();
    return new Set(beats.filter((b) => b.id !== this.#self && isLive(b, now)).map((b) => b.id));
  }
}

const homes = new WeakMap<SheetsClient, Map<string, SheetsInstanceHome>>();

/** The one home of `spreadsheetId` for this client: triggers on the same spreadsheet share it. */
export function sheetsInstanceHome(client: SheetsClient, spreadsheetId: string): SheetsInstanceHome {
  const byId = homes.get(client) ?? new Map<string, SheetsInstanceHome>();
  homes.set(client, byId);
  const home = byId.get(spreadsheetId) ?? new SheetsInstanceHome(client, spreadsheetId);
  byId.set(spreadsheetId, home);
  return home;
}
