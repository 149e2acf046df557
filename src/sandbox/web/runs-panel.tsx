// Baton's side: the pollers, and each run with its steps, waits and errors (from the store and the engine).
import type { JournalEntry, RunRecord } from '../../engine/run-record.ts';
import type { PollerState } from '../../triggers/poller.ts';
import { clockTime, itemOf, waitingFor } from '../../web/run-words.ts';

/** The newest runs first, each status taken from the engine when it holds the run in memory. */
export function RunsPanel({ runs, live }: { runs: RunRecord[]; live: Map<string, string> }) {
  return (
    <section class="panel" id="runs" data-panel>
      <h2>Baton runs</h2>
      <p class="hint">One run per lead. Steps are journaled; a run waiting for a review holds no memory.</p>
      {runs.length === 0 ? (
        <p class="empty">No runs yet.</p>
      ) : (
        runs.map((run) => <RunBox run={run} status={live.get(run.id) ?? run.status} />)
      )}
    </section>
  );
}

export function PollersPanel({ pollers }: { pollers: PollerState[] }) {
  return (
    <div id="pollers" data-panel class="pollers">
      {pollers.map((p) => (
        <span class={`poller ${p.lastError ? 'tone-bad' : ''}`}>
          <b>{triggerName(p.trigger)}</b> polled {p.polls}× · last {clockTime(p.lastPollAt)} · next{' '}
          {clockTime(p.nextPollAt)}
          {p.lastError && (
            <>
              {' · '}
              <span class="error">{p.lastError}</span>
            </>
          )}
        </span>
      ))}
    </div>
  );
}

function RunBox({ run, status }: { run: RunRecord; status: string }) {
  return (
    <details class="run" id={`run-${run.id}`} data-run-status={status}>
      <summary>
        <span class={`badge run-${status}`}>{status}</span> <b>{itemOf(run)}</b>{' '}
        <span class="muted">{clockTime(run.createdAt)}</span>
        {status === 'waiting' && run.wake && <span class="wait">{waitingFor(run.wake)}</span>}
        {run.error && <span class="error">{run.error.message}</span>}
      </summary>
      <p class="muted">
        Run <code>{run.id}</code> · {run.executions} execution(s) · <code>baton show {run.id}</code>
      </p>
      <ol class="steps">
        {run.journal.map((entry) => (
          <StepLine entry={entry} />
        ))}
      </ol>
    </details>
  );
}

function StepLine({ entry }: { entry: JournalEntry }) {
  const took =
    entry.startedAt !== undefined && entry.endedAt !== undefined
      ? `${entry.endedAt - entry.startedAt} ms`
      : '';
  return (
    <li class={`step step-${entry.status}`}>
      <span class="badge">{entry.status}</span> {entry.kind} <b>{entry.id}</b>
      {entry.attempts > 1 && ` after ${entry.attempts} attempts`} <span class="muted">{took}</span>
      {entry.error && entry.status !== 'done' && <div class="error">{entry.error.message}</div>}
    </li>
  );
}

/** `sheets:<id>:Leads` → `Sheet Leads`, `trello:…` → `Trello board`: what the poller watches. */
function triggerName(id: string): string {
  const [service, , tab] = id.split(':');
  if (service === 'sheets') return `Sheet ${tab ?? ''}`.trim();
  if (service === 'trello') return 'Trello board';
  if (service === 'airtable') return `Airtable ${tab ?? ''}`.trim();
  if (service === 'gmail') return 'Gmail replies';
  return id;
}
