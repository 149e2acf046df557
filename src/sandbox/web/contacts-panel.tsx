// The pathway's Airtable Contacts table as a team sees it: a grid per view (All, VIP, Needs review,
// Spam), Tier, Confidence and Reason, Tier buttons for contacts waiting for a person, the form to add
// one; and the Slack channel where the VIP alerts land.
import { PATHWAY_TIERS, PATHWAY_VIEWS } from '../../../recipes/pathway/schema.ts';
import type { CellValue } from '../airtable/index.ts';
import type { EmulatedWorld } from '../world.ts';
import { statusTone } from './sheet-panel.tsx';

export const ALL_CONTACTS = 'All contacts';
export const CONTACT_TABS = [ALL_CONTACTS, ...Object.keys(PATHWAY_VIEWS)];
const TABLE = 'Contacts';

const cell = (value: CellValue | undefined): string =>
  value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value);

/** `?contacts=<view>`: the tab lives in the address, so a refresh keeps it. */
export function contactsLink(view: string): string {
  return view === ALL_CONTACTS ? '/#contacts' : `/?contacts=${encodeURIComponent(view)}#contacts`;
}

export function ContactsPanel(props: { world: EmulatedWorld; view: string }) {
  const { world } = props;
  const view = CONTACT_TABS.includes(props.view) ? props.view : ALL_CONTACTS;
  const records = world.airtable.records(
    world.airtableBaseId,
    TABLE,
    view === ALL_CONTACTS ? undefined : view,
  );
  return (
    <section class="panel wide" id="contacts" data-panel>
      <h2>Airtable · Sales · {TABLE} (pathway)</h2>
      <p class="hint">
        Everyone who gets in touch: Baton gives each a <b>Tier</b> (VIP, Standard or Spam) and routes it. A
        contact in <b>Needs review</b> waits for you to set its Tier.
      </p>
      <nav class="tabs" aria-label="Contact views">
        {CONTACT_TABS.map((name) => (
          <a
            href={contactsLink(name)}
            class={name === view ? 'tab current' : 'tab'}
            aria-current={name === view ? 'page' : undefined}
            data-contacts-view={name}
          >
            {name}
          </a>
        ))}
      </nav>
      <div class="scroll">
        <table class="sheet" data-grid={`contacts:${view}`}>
          <thead>
            <tr>
              {['Name', 'Email', 'Company', 'Message', 'Status', 'Tier', 'Confidence', 'Reason'].map((h) => (
                <th class={h === 'Status' ? 'status' : ''}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {records.map((record) => {
              const f = record.fields;
              const status = cell(f.Status);
              return (
                <tr data-contact={record.id} data-email={cell(f.Email)}>
                  <td title={cell(f.Name)}>{cell(f.Name)}</td>
                  <td title={cell(f.Email)}>{cell(f.Email)}</td>
                  <td title={cell(f.Company)}>{cell(f.Company)}</td>
                  <td title={cell(f.Message)}>{cell(f.Message).slice(0, 80)}</td>
                  <td class={`status ${statusTone(status)}`} title={cell(f['Status detail']) || status}>
                    {status || '(empty)'}
                  </td>
                  <td class="tier">
                    {cell(f.Tier) ||
                      (status === 'Needs review' ? (
                        <TierButtons recordId={record.id} name={cell(f.Name)} />
                      ) : (
                        ''
                      ))}
                  </td>
                  <td class="score">{cell(f.Confidence)}</td>
                  <td title={cell(f.Reason)}>{cell(f.Reason).slice(0, 120)}</td>
                </tr>
              );
            })}
            {records.length === 0 && (
              <tr>
                <td colspan={8}>No contacts in this view.</td>
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
    <form method="post" action={`/airtable/contacts/${encodeURIComponent(recordId)}/tier`} class="tier-form">
      {PATHWAY_TIERS.map((tier) => (
        <button type="submit" name="Tier" value={tier} aria-label={`Set Tier of ${name} to ${tier}`}>
          {tier}
        </button>
      ))}
    </form>
  );
}

/** Outside the refreshed panel, so what a visitor types is never replaced under them. */
export function AddContactForm() {
  return (
    <section class="panel wide" id="add-contact">
      <h2>Add a contact (Airtable Contacts)</h2>
      <p class="hint">
        Try a disposable address (someone@mailinator.com), a role address (noreply@…), or a message that asks
        to be treated as VIP.
      </p>
      <form method="post" action="/airtable/contacts" class="lead-form">
        <label>
          Name <input name="Name" maxlength={200} placeholder="Dana Lee" />
        </label>
        <label>
          Email <input name="Email" required maxlength={320} placeholder="dana@bigretail.example" />
        </label>
        <label>
          Company <input name="Company" maxlength={200} placeholder="Big Retail" />
        </label>
        <label>
          Value <input name="Value" inputmode="numeric" maxlength={12} placeholder="25000" />
        </label>
        <label class="notes">
          Message{' '}
          <textarea
            name="Message"
            rows={2}
            maxlength={4000}
            placeholder="I run operations for 40 stores and would like to talk."
          ></textarea>
        </label>
        <button type="submit">Add contact to Airtable</button>
      </form>
    </section>
  );
}

/** The Slack channel the webhook posts to: VIP alerts, people asked to decide, reviews to look at. */
export function SlackPanel(props: { world: EmulatedWorld }) {
  const messages = props.world.slack.messages().slice(-40).reverse();
  const channel = messages[0]?.channel ?? '#pitches';
  return (
    <section class="panel" id="slack" data-panel>
      <h2>Slack · {channel}</h2>
      <ul class="slack">
        {messages.map((m) => (
          <li data-slack={m.at} class={(m.text ?? '').startsWith('VIP Alert:') ? 'tone-ok' : ''}>
            <b>Baton</b> <small>{new Date(m.at).toISOString().slice(11, 16)} UTC</small>
            <p>{m.shown ?? m.text ?? ''}</p>
          </li>
        ))}
        {messages.length === 0 && <li>No messages yet.</li>}
      </ul>
    </section>
  );
}
