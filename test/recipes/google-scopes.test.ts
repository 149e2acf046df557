// Which Google scopes `baton auth google` asks for, per configured recipe.
import { describe, expect, it } from 'vitest';
import { GOOGLE_SCOPES } from '../../connectors/google/index.ts';
import { googleScopesFor, leadsUsesGoogle } from '../../recipes/google-scopes.ts';

const S = GOOGLE_SCOPES;
const sorted = (scopes: string[]) => [...scopes].sort();

describe('googleScopesFor', () => {
  it('asks the pitch recipe for its sheet and Gmail, and nothing of Drive or Slides', () => {
    expect(sorted(googleScopesFor({ PITCH_SHEET_ID: 'sheet' }))).toEqual(
      sorted([S.sheets, S.gmail, S.gmailRead]),
    );
  });

  it('asks leads for Gmail only, adding drive and presentations only with a deck template', () => {
    expect(sorted(googleScopesFor({ AIRTABLE_BASE_ID: 'app1' }))).toEqual(sorted([S.gmail, S.gmailRead]));
    expect(sorted(googleScopesFor({ LEADS_NOTION_DATABASE_ID: 'db', LEADS_DECK_TEMPLATE_ID: 't' }))).toEqual(
      sorted([S.gmail, S.gmailRead, S.driveFull, S.presentations]),
    );
  });

  it('joins the scopes of every configured recipe, each once', () => {
    const scopes = googleScopesFor({
      PITCH_SHEET_ID: 'sheet',
      AIRTABLE_BASE_ID: 'app',
      LEADS_DECK_TEMPLATE_ID: 't',
    });
    expect(sorted(scopes)).toEqual(sorted([S.sheets, S.gmail, S.gmailRead, S.driveFull, S.presentations]));
  });

  it("asks for every recipe's base scopes before any recipe is configured", () => {
    expect(sorted(googleScopesFor({}))).toEqual(sorted([S.sheets, S.gmail, S.gmailRead, S.drive]));
  });

  it('asks content for Drive read access only (the videos in CONTENT_DRIVE_FOLDER_ID)', () => {
    expect(googleScopesFor({ CONTENT_DRIVE_FOLDER_ID: 'folder' })).toEqual([S.drive]);
    expect(sorted(googleScopesFor({ CONTENT_NOTION_DATABASE_ID: 'db', PITCH_SHEET_ID: 's' }))).toEqual(
      sorted([S.sheets, S.gmail, S.gmailRead, S.drive]),
    );
  });

  it('counts leads as configured by any of its markers, ignoring blanks', () => {
    expect(leadsUsesGoogle({ AIRTABLE_BASE_ID: '  ' })).toBe(false);
    expect(leadsUsesGoogle({ LEADS_DECK_TEMPLATE_ID: 't' })).toBe(false);
    expect(leadsUsesGoogle({ LEADS_TABLE: 'Leads' })).toBe(false);
    expect(leadsUsesGoogle({ AIRTABLE_BASE_ID: 'app1' })).toBe(true);
  });
});
