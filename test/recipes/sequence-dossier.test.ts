// The writer reads the lead's Notion dossier (the record's `Research` link): what only the dossier
// says reaches the model. A dossier that is gone or not shared is left out, and the email still goes.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulators } from '../support/msw.ts';
import { useTempDirs } from '../support/temp-dir.ts';
import { leadsWorld } from './leads-world.ts';
import { records, scriptAudits, sequenceCycle } from './sequence-world.ts';

const world = leadsWorld();
useEmulators(world.handlers());
const tempDir = useTempDirs();

const ONLY_IN_DOSSIER = 'They opened a second bakery in Leeds last spring';

describe('sequence writer and the Notion dossier', () => {
  it("gives the writer and the auditor the dossier page's text; a missing page does not stop the email", async () => {
    scriptAudits(world);
    const dir = await tempDir();
    const file = join(await tempDir(), 'sequences.yaml');
    await writeFile(file, 'hello:\n  - after: 0d\n    brief: Say hello.\n');
    const env = { SEQUENCES_FILE: file, SEND_WINDOW: 'always' };
    const pageId = world.notion.addPage(
      world.dossiers.dataSourceId,
      { Name: 'Dana Dossier', Email: 'dana@bakery.example' },
      `Company: Dana's Bakery\n${ONLY_IN_DOSSIER}.\nPrefers short emails.`,
    );
    const link = world.notion.page(pageId)!.url;
    await sequenceCycle(world, dir, env); // first enable
    world.clock.advance(60_000);
    world.airtable.addRecord(world.airtableBaseId, 'Leads', {
      Name: 'Dana Dossier',
      Email: 'dana@bakery.example',
      Research: link,
      Sequence: 'hello',
    });
    // A dossier link to a page that does not exist (deleted, or never shared with the integration).
    world.airtable.addRecord(world.airtableBaseId, 'Leads', {
      Name: 'Gil Gone',
      Email: 'gil@gone.example',
      Research: 'https://www.notion.so/Gil-Gone-0123456789abcdef0123456789abcdef',
      Sequence: 'hello',
    });
    await sequenceCycle(world, dir, env);

    const asked = (email: string, schema: string) =>
      world.openai.calls
        .filter((c) => c.schemaName === schema && JSON.stringify(c.messages).includes(email))
        .map((c) => JSON.stringify(c.messages));
    const written = asked('dana@bakery.example', 'sequence_email');
    expect(written).toHaveLength(1);
    expect(written[0]).toContain(ONLY_IN_DOSSIER);
    expect(asked('dana@bakery.example', 'sequence_audit')[0]).toContain(ONLY_IN_DOSSIER);
    expect(asked('gil@gone.example', 'sequence_email')[0]).not.toContain(ONLY_IN_DOSSIER);

    const recs = records(world);
    expect(recs['dana@bakery.example']?.['Sequence status']).toMatch(/^Completed /);
    expect(recs['gil@gone.example']?.['Sequence status']).toMatch(/^Completed /);
    expect(
      world.gmail
        .sent()
        .map((m) => m.to)
        .sort(),
    ).toEqual(['dana@bakery.example', 'gil@gone.example']);
  });
});
