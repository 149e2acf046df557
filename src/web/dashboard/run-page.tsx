// One run: its state, what it waits for or why it failed, its steps with LLM tokens and cost, links to
// what it belongs to, and a Retry button when it failed. Step results are not shown (they may hold
// more than a reviewer needs); links and errors are.
import type { JournalEntry, RunRecord } from '../../engine/run-record.ts';
import { usageOf } from '../../runtime/metrics.ts';
import { itemOf, utcTime, waitingFor } from '../run-words.ts';
import { Layout } from './layout.tsx';
import { runLinks } from './links.ts';

export interface RunPageProps {
  nonce: string;
  run: RunRecord;
  notice?: string | undefined;
}

export function RunPage({ nonce, run, notice }: RunPageProps) {
  const usages = run.journal.map(usageOf).filter((u) => u !== undefined);
  const tokens = usages.reduce((sum, u) => sum + u.promptTokens + u.completionTokens, 0);
  const cost = usages.reduce((sum, u) => sum + (u.costUsd ?? 0), 0);
  const links = runLinks(run);
  const retryable = run.status === 'failed' || run.status === 'cancelled';
  return (
    <Layout title={`Run ${run.id}`} nonce={nonce} signedIn>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <section class="panel" id="run" data-run-status={run.status}>
        <h2>
          <span class={`badge run-${run.status}`}>{run.status}</span> {itemOf(run)}
        </h2>
        <dl>
          <dt>Recipe</dt>
          <dd>{run.recipe}</dd>
          <dt>Item</dt>
          <dd>
            <code>{run.itemKey}</code>
          </dd>
          <dt>Created</dt>
          <dd>{utcTime(run.createdAt)}</dd>
          <dt>Updated</dt>
          <dd>
            {utcTime(run.updatedAt)} · {run.executions} execution(s)
          </dd>
          {run.status === 'waiting' && run.wake && (
            <>
              <dt>Waiting</dt>
              <dd>{waitingFor(run.wake, utcTime)}</dd>
            </>
          )}
          {run.error && (
            <>
              <dt>Error</dt>
              <dd class="error" id="run-error">
                {run.error.message}
                {run.error.hint && <div class="muted">{run.error.hint}</div>}
              </dd>
            </>
          )}
          <dt>LLM</dt>
          <dd id="run-usage">
            {tokens} tokens · ${cost.toFixed(4)} estimated
          </dd>
          {links.length > 0 && (
            <>
              <dt>Links</dt>
              <dd>
                {links.map((l) => (
                  <>
                    <a href={l.href} rel="noopener noreferrer" target="_blank">
                      {l.label}
                    </a>{' '}
                  </>
                ))}
              </dd>
            </>
          )}
        </dl>
        {retryable && (
          <form method="post" action={`/runs/${run.id}/retry`}>
            <p>
              <button type="submit">Retry</button>{' '}
              <span class="hint">
                Same as <code>baton retry {run.id}</code>: it resumes from the failed step.
              </span>
            </p>
          </form>
        )}
      </section>
      <section class="panel" id="steps">
        <h2>Steps</h2>
        <table>
          <thead>
            <tr>
              <th>State</th>
              <th>Kind</th>
              <th>Step</th>
              <th>Attempts</th>
              <th>Took</th>
              <th>LLM</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {run.journal.map((entry) => (
              <StepRow entry={entry} />
            ))}
          </tbody>
        </table>
        {run.journal.length === 0 && <p class="muted">No steps yet.</p>}
      </section>
    </Layout>
  );
}

function StepRow({ entry }: { entry: JournalEntry }) {
  const usage = usageOf(entry);
  return (
    <tr data-step={entry.id}>
      <td>
        <span class={`badge run-${entry.status}`}>{entry.status}</span>
      </td>
      <td>{entry.kind}</td>
      <td>
        <code>{entry.id}</code>
      </td>
      <td>{entry.attempts}</td>
      <td>
        {entry.startedAt !== undefined && entry.endedAt !== undefined
          ? `${entry.endedAt - entry.startedAt} ms`
          : ''}
      </td>
      <td>
        {usage &&
          `${usage.promptTokens + usage.completionTokens} tokens (${usage.model})${usage.costUsd !== undefined ? ` · $${usage.costUsd.toFixed(4)}` : ''}`}
      </td>
      <td class="error">{entry.error && entry.status !== 'done' ? entry.error.message : ''}</td>
    </tr>
  );
}
