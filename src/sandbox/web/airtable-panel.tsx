// The Airtable Leads table as a person sees it: a grid per view (tabs), Baton's Status, Score and Tier,
// a link to each lead's dossier, Tier buttons for leads waiting for a person, and the form to add one.
import type { CellValue } from '../airtable/index.ts';
import { type EmulatedWorld, LEAD_VIEWS } from '../world.ts';
import { statusTone } from './sheet-panel.tsx';

/** The grid shown first (Airtable's default view), then the views a user made (LEAD_VIEWS). */
export const ALL_LEADS = 'All leads';
export const AIRTABLE_TABS = [ALL_LEADS, ...Object.keys(LEAD_VIEWS)];
const TABLE = 'Leads';

/** `?view=…&dossier=…`: the page's state lives in its address, so a refresh keeps the tab and page. */
export function pageLink(state: { view?: string | undefined; dossier?: string | undefined }): string {
  const query = new URLSearchParams();
  if (state.view && state.view !== ALL_LEADS) query.set('view', state.view);
  if (state.dossier) query.set('dossier', state.dossier);
  const text = query.toString();
  return text ? `/?${text}` : '/';
}

const cell = (value: CellValue | undefined): string =>
  value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value);

export function AirtablePanel(props: { world: EmulatedWorld; view: string; dossier?: string | undefined }) {
  const { world } = props;
  const view = AIRTABLE_TABS.includes(props.view) ? props.view : ALL_LEADS;
  const records = world.airtable.records(world.airtableBaseId, TABLE, view === ALL_LEADS ? undefined : view);
  const dossierOf = new Map(world.notion.pages(world.dossiers.dataSourceId).map((p) => [p.url, p.id]));
  return (
    <section class="panel wide" id="airtable" data-panel>
      <h2>Airtable · Sales · {TABLE}</h2>
      <p class="hint">
        A record with an empty <b>Status</b> is new: Baton researches it, writes a dossier in Notion and a
        score here. A lead in <b>Needs review</b> waits for you to set its <b>Tier</b>.
      </p>
      <nav class="tabs" aria-label="Views">
        {AIRTABLE_TABS.map((name) => (
          <a
            href={`${pageLink({ view: name, dossier: props.dossier })}#airtable`}
            class={name === view ? 'tab current' : 'tab'}
            aria-current={name === view ? 'page' : undefined}
            data-view={name}
          >
            {name}
          </a>
        ))}
      </nav>
      <div class="scroll">
        <table class="sheet" data-grid={view}>
          <thead>
            <tr>
              {['Name', 'Email', 'Company', 'Status', 'Score', 'Tier', 'Research'].map((h) => (
                <th class={h === 'Status' ? 'status' : ''}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {records.map((record) => {
              const f = record.fields;
              const status = cell(f.Status);
              const research = cell(f.Research);
              const page = dossierOf.get(research);
              return (
                <tr data-record={record.id} data-email={cell(f.Email)}>
                  <td title={cell(f.Name)}>{cell(f.Name)}</td>
                  <td title={cell(f.Email)}>{cell(f.Email)}</td>
                  <td title={cell(f.Company)}>{cell(f.Company)}</td>
                  <td class={`status ${statusTone(status)}`} title={cell(f['Status detail']) || status}>
                    {status || '(empty)'}
                  </td>
                  <td class="score">{cell(f.Score)}</td>
                  <td class="tier">
                    {cell(f.Tier) ||
                      (status === 'Needs review' ? (
                        <TierButtons recordId={record.id} name={cell(f.Name)} />
                      ) : (
                        ''
                      ))}
                  </td>
                  <td>
                    {page ? (
                      <a href={`${pageLink({ view, dossier: page })}#notion`} class="research">
                        Dossier
                      </a>
                    ) : (
                      research
                    )}
                  </td>
                </tr>
              );
            })}
            {records.length === 0 && (
              <tr>
                <td colspan={7}>No records in this view.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function TierButtons({ recordId, name }: { recordId: string; name: string }) {
  return (
    <form method="post" action={`/airtable/records/${encodeURIComponent(recordId)}/tier`} class="tier-form">
      {['Hot', 'Nurture'].map((tier) => (
        <button type="submit" name="Tier" value={tier} aria-label={`Set Tier of ${name} to ${tier}`}>
          {tier}
        </button>
      ))}
    </form>
  );
}

/** Outside the refreshed panel, so what a visitor types is never replaced under them. */
export function AddAirtableLeadForm() {
  return (
    <section class="panel wide" id="add-airtable-lead">
      <h2>Add a lead (Airtable)</h2>
      <p class="hint">
        Demo websites Baton can read: acme-analytics.example, harbor-coffee.example (it tries a prompt
        injection), quietfield.example (robots.txt says no), gone-startup.example (404s).
      </p>
      <form method="post" action="/airtable/leads" class="lead-form">
        <label>
          Name <input name="Name" required maxlength={200} placeholder="Priya Shah" />
        </label>
        <label>
          Email <input name="Email" required maxlength={320} placeholder="priya@acme-analytics.example" />
        </label>
        <label>
          Company <input name="Company" maxlength={200} placeholder="Acme Analytics" />
        </label>
        <label>
          Website <input name="Website" maxlength={500} placeholder="https://acme-analytics.example" />
        </label>
        <label class="notes">
          Notes{' '}
          <textarea
            name="Notes"
            rows={2}
            maxlength={4000}
            placeholder="Met at a meetup; their weekly reports take a day by hand."
          ></textarea>
        </label>
        <button type="submit">Add record to Airtable</button>
      </form>
    </section>
  );
}
