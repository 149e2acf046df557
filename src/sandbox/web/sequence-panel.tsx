// The drip sequences as a person follows them: who is enrolled (records of the Leads table with a
// `Sequence`), where each stands (`Sequence status`), and when their next email is due.
import type { RunRow } from '../../web/run-index.ts';
import { utcTime } from '../../web/run-words.ts';
import type { EmulatedWorld } from '../world.ts';

const TABLE = 'Leads';

/** When the person's next email goes, read from their run's wake-up: a sleep, a pause, or a review. */
export function nextEmail(run: RunRow | undefined): string {
  if (!run) return 'not enrolled yet (next poll)';
  if (run.status === 'done') return '— (sequence over)';
  if (run.status === 'failed') return 'the run failed: see Runs';
  if (run.status !== 'waiting' || !run.wake) return 'being written now';
  const { wake } = run;
  if (/-decision-|-feedback-/.test(wake.stepId)) return 'after review (a card on the board)';
  if (wake.reason === 'paused') return `${utcTime(wake.at)} — ${wake.note ?? 'waiting'}`;
  return utcTime(wake.at);
}

export function SequencePanel(props: { world: EmulatedWorld; runs: RunRow[] }) {
  const { world } = props;
  const enrolled = world.airtable
    .records(world.airtableBaseId, TABLE)
    .filter((r) => typeof r.fields.Sequence === 'string' && r.fields.Sequence !== '');
  // The newest run per record (a record enrolled again gets a new run).
  const runOf = new Map<string, RunRow>();
  for (const run of [...props.runs].sort((a, b) => a.createdAt - b.createdAt)) {
    runOf.set(run.itemKey.split('#')[0] ?? '', run);
  }
  return (
    <section class="panel wide" id="sequences" data-panel>
      <h2>Sequences · enrolled people</h2>
      <p class="hint">
        A lead scored Nurture gets <b>Sequence</b> = nurture and the emails of <code>sequences.yaml</code>,
        each at its time after enrolment. Advance the clock to see the next ones go.
      </p>
      {enrolled.length === 0 ? (
        <p class="muted">Nobody is enrolled yet.</p>
      ) : (
        <table class="sheet" data-grid="sequences">
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Sequence</th>
              <th>Sequence status</th>
              <th>Next email</th>
            </tr>
          </thead>
          <tbody>
            {enrolled.map((r) => (
              <tr data-record={r.id}>
                <td>{String(r.fields.Name ?? '')}</td>
                <td>{String(r.fields.Email ?? '')}</td>
                <td>{String(r.fields.Sequence)}</td>
                <td>{String(r.fields['Sequence status'] ?? '')}</td>
                <td data-next>{nextEmail(runOf.get(r.id))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
