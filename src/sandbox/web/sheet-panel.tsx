// The Leads sheet as a person sees it in Google Sheets, with its Status column, and the form to add a row.
import type { EmulatedWorld } from '../world.ts';

/** The CSS class for a Status cell: new work, in flight, sent, or needs a human. */
export function statusTone(status: string): string {
  if (status === '') return 'tone-new';
  if (/^Sent\b/.test(status)) return 'tone-ok';
  if (/^(Skipped|Error)\b/.test(status)) return 'tone-bad';
  if (/^(Rejected|Expired)\b/.test(status)) return 'tone-muted';
  return 'tone-busy';
}

export function SheetPanel({ world, tab }: { world: EmulatedWorld; tab: string }) {
  const [header = [], ...rows] = world.sheets.rows(world.spreadsheetId, tab);
  const statusCol = header.indexOf('Status');
  const cells = (line: string[], rowNumber: number) =>
    line.map((text, col) =>
      col === statusCol ? (
        <td class={`status ${statusTone(text)}`} data-status-row={rowNumber}>
          {text || '(empty)'}
        </td>
      ) : (
        <td title={text}>{text}</td>
      ),
    );
  return (
    <section class="panel wide" id="sheet" data-panel>
      <h2>Google Sheets · {tab}</h2>
      <p class="hint">
        A row with an empty <b>Status</b> is new work: Baton claims it by writing Status, then keeps it up to
        date.
      </p>
      <div class="scroll">
        <table class="sheet">
          <thead>
            <tr>
              <th>#</th>
              {header.map((h, col) => (
                <th class={col === statusCol ? 'status' : ''}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((line, i) => (
              <tr data-row={i + 2}>
                <th>{i + 2}</th>
                {cells(line, i + 2)}
              </tr>
            ))}
            {rows.length === 0 && (
              <tr>
                <td colspan={header.length + 1}>No rows yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** Outside the refreshed panel, so what a visitor types is never replaced under them. */
export function AddLeadForm() {
  return (
    <section class="panel wide" id="add-lead">
      <h2>Add a lead</h2>
      <form method="post" action="/leads" class="lead-form">
        <label>
          Name <input name="Name" required maxlength={200} placeholder="Dana Whitfield" />
        </label>
        <label>
          Email <input name="Email" required maxlength={320} placeholder="dana@whitfieldflowers.example" />
        </label>
        <label>
          Company <input name="Company" maxlength={200} placeholder="Whitfield Flowers" />
        </label>
        <label>
          Website <input name="Website" maxlength={500} placeholder="https://whitfieldflowers.example" />
        </label>
        <label class="notes">
          Notes{' '}
          <textarea
            name="Notes"
            rows={2}
            maxlength={4000}
            placeholder="Florist with two shops; takes wedding orders by email and loses track of them."
          ></textarea>
        </label>
        <button type="submit">Add row to the sheet</button>
      </form>
    </section>
  );
}
