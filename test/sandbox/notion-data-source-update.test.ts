// The Notion emulator's PATCH /v1/data_sources/{id} as the reference describes it: properties added,
// renamed and removed; a select's options replaced by the list sent; status options and the title's type refused.
import { APIResponseError, Client, LogLevel } from '@notionhq/client';
import { beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import { NotionEmulator } from '../../src/sandbox/notion/index.ts';
import { useEmulators } from '../support/msw.ts';

const TOKEN = 'ntn_update_token';
const READER = 'ntn_read_only';
const notion = new NotionEmulator({
  clock: new ManualClock(),
  requestsPerWindow: 100_000,
  burstPerSecond: 100_000,
});
notion.addIntegration(TOKEN);
notion.addIntegration(READER, { readOnly: true });
useEmulators(notion.handlers());

const sdk = (auth = TOKEN) => new Client({ auth, retry: false, logLevel: LogLevel.ERROR });

let source: string;
beforeEach(() => {
  source = notion.createDatabase({
    title: 'Leads',
    properties: {
      Name: 'title',
      Stage: { type: 'select', options: ['Lead', 'Customer'] },
      Progress: 'status',
      Notes: 'rich_text',
    },
  }).dataSourceId;
});

async function refusal(
  update: () => Promise<unknown>,
): Promise<{ status: number; code: string; message: string }> {
  try {
    await update();
  } catch (err) {
    if (err instanceof APIResponseError) return { status: err.status, code: err.code, message: err.message };
    throw err;
  }
  throw new Error('the update was accepted');
}

describe('PATCH /v1/data_sources/{id}', () => {
  it('adds, renames and removes properties, and answers the data source', async () => {
    const page = notion.addPage(source, { Name: 'Ada', Notes: 'met at a fair' });
    const answer = await sdk().dataSources.update({
      data_source_id: source,
      properties: {
        Score: { number: { format: 'number' } },
        Email: { email: {} },
        Notes: { name: 'Background' },
        Stage: null,
      },
    });
    expect(answer.object).toBe('data_source');
    expect(Object.keys('properties' in answer ? answer.properties : {}).sort()).toEqual(
      ['Background', 'Email', 'Name', 'Progress', 'Score'].sort(),
    );
    expect(notion.properties(source).Score).toEqual({ type: 'number' });
    // Existing pages keep their values under the new name, and the new properties are empty.
    expect(notion.page(page)?.properties).toMatchObject({
      Background: 'met at a fair',
      Score: null,
      Email: null,
    });
    expect(notion.page(page)?.properties).not.toHaveProperty('Stage');
  });

  it("replaces a select's options with the list sent: new names are added, omitted ones removed and cleared from pages", async () => {
    const page = notion.addPage(source, { Name: 'Ada', Stage: 'Lead' });
    const retrieved = await sdk().dataSources.retrieve({ data_source_id: source });
    const stage = 'properties' in retrieved ? retrieved.properties.Stage : undefined;
    const leadId =
      stage?.type === 'select' ? stage.select.options.find((o) => o.name === 'Lead')?.id : undefined;
    expect(leadId).toBeTruthy();
    await sdk().dataSources.update({
      data_source_id: source,
      properties: { Stage: { select: { options: [{ id: leadId! }, { name: 'Partner' }] } } },
    });
    expect(notion.properties(source).Stage).toEqual({ type: 'select', options: ['Lead', 'Partner'] });
    expect(notion.page(page)?.properties.Stage).toBe('Lead');

    await sdk().dataSources.update({
      data_source_id: source,
      properties: { Stage: { select: { options: [{ name: 'Partner' }] } } },
    });
    expect(notion.properties(source).Stage).toEqual({ type: 'select', options: ['Partner'] });
    expect(notion.page(page)?.properties.Stage).toBeNull();
  });

  it('refuses what the reference rules out, changing nothing', async () => {
    const before = notion.properties(source);
    const status = await refusal(() =>
      sdk().dataSources.update({
        data_source_id: source,
        properties: { Progress: { status: { options: [{ name: 'Waiting' }] } } } as never,
      }),
    );
    expect(status).toMatchObject({ status: 400, code: 'validation_error' });
    expect(status.message).toMatch(/not possible to update the name or options values of a status property/);

    const title = await refusal(() =>
      sdk().dataSources.update({ data_source_id: source, properties: { Name: { rich_text: {} } } }),
    );
    expect(title).toMatchObject({ status: 400, code: 'validation_error' });

    const partial = await refusal(() =>
      sdk().dataSources.update({
        data_source_id: source,
        properties: { Fresh: { url: {} }, Stage: { select: { options: [{ name: 'A,B' }] } } },
      }),
    );
    expect(partial.message).toMatch(/commas/);
    expect(notion.properties(source)).toEqual(before);

    const reader = await refusal(() =>
      sdk(READER).dataSources.update({ data_source_id: source, properties: { Fresh: { url: {} } } }),
    );
    expect(reader).toMatchObject({ status: 403, code: 'restricted_resource' });
  });
});
