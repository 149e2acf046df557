// Baton's side: the pollers, and each run with its steps, waits and errors (from the store and the engine).
import { z } from 'zod';
import type { JournalEntry, RunRecord, Wake } from '../../engine/run-record.ts';
import type { Baton } from '../../runtime/index.ts';
import { clockTime, type Html, html } from './html.ts';

const SHOWN_RUNS = 30;

/** The newest runs first, each status taken from the engine when it holds the run in memory. */
export async function runsPanel(baton: Baton): Promise<Html> {
  const live = new Map(baton.engine.activeRuns().map((r) => [r.id, r.status]));
  const runs = (await baton.store.listRuns())
    .sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id))
    .slice(0, SHOWN_RUNS);
  return html`<section class="panel" id="runs" data-panel>
    <h2>Baton runs</h2>
    <p class="hint">One run per lead. Steps are journaled; a run waiting for a review holds no memory.</p>
    ${runs.length === 0 ? html`<p class="empty">No runs yet.</p>` : runs.map((run) => runBox(run, live.get(run.id)))}
  </section>`;
}

export function pollersPanel(baton: Baton): Html {
  return html`<div id="pollers" data-panel class="pollers">
    ${baton.pollerStates().map(
      (p) => html`<span class="poller ${p.lastError ? 'tone-bad' : ''}">
        <b>${triggerName(p.trigger)}</b> polled ${p.polls}× · last ${clockTime(p.lastPollAt)} · next ${clockTime(p.nextPollAt)}
        ${p.lastError ? html` · <span class="error">${p.lastError}</span>` : ''}</span>`,
    )}
  </div>`;
}

function runBox(run: RunRecord, liveStatus: string | undefined): Html {
  const status = liveStatus ?? run.status;
  return html`<details class="run" id="run-${run.id}" data-run-status="${status}">
    <summary><span class="badge run-${status}">${status}</span> <b>${leadOf(run)}</b>
      <span class="muted">${clockTime(run.createdAt)}</span>
      ${status === 'waiting' && run.wake ? html`<span class="wait">${waitingFor(run.wake)}</span>` : ''}
      ${run.error ? html`<span class="error">${run.error.message}</span>` : ''}</summary>
    <p class="muted">Run <code>${run.id}</code> · ${run.executions} execution(s) · <code>baton show ${run.id}</code></p>
    <ol class="steps">${run.journal.map(stepLine)}</ol>
  </details>`;
}

function stepLine(entry: JournalEntry): Html {
  const took =
    entry.startedAt !== undefined && entry.endedAt !== undefined
      ? `${entry.endedAt - entry.startedAt} ms`
      : '';
  return html`<li class="step step-${entry.status}">
    <span class="badge">${entry.status}</span> ${entry.kind} <b>${entry.id}</b>
    ${entry.attempts > 1 ? html` after ${entry.attempts} attempts` : ''} <span class="muted">${took}</span>
    ${entry.error && entry.status !== 'done' ? html`<div class="error">${entry.error.message}</div>` : ''}
  </li>`;
}

/** A run's input names its lead: as the pitch recipe stores it (`lead`), or as the sheet row (`values`). */
const LeadInput = z.union([
  z.object({ lead: z.object({ name: z.string(), email: z.string() }) }).transform((i) => i.lead),
  z.object({ values: z.object({ Name: z.string(), Email: z.string() }) }).transform((i) => ({
    name: i.values.Name,
    email: i.values.Email,
  })),
]);

function leadOf(run: RunRecord): string {
  const parsed = LeadInput.safeParse(run.input);
  if (!parsed.success) return run.itemKey;
  return [parsed.data.name, parsed.data.email].filter(Boolean).join(' · ') || run.itemKey;
}

function waitingFor(wake: Wake): string {
  if (wake.reason === 'retry') return `retrying '${wake.stepId}' at ${clockTime(wake.at)}`;
  if (wake.reason === 'sleep') return `sleeping until ${clockTime(wake.at)}`;
  if (wake.key?.startsWith('trello:card:')) return 'waiting for a reviewer to move the card';
  return `waiting for ${wake.key ?? wake.stepId}`;
}

/** `sheets:<id>:Leads` → `Sheet Leads`, `trello:…` → `Trello board`: what the poller watches. */
function triggerName(id: string): string {
  const [service, , tab] = id.split(':');
  if (service === 'sheets') return `Sheet ${tab ?? ''}`.trim();
  if (service === 'trello') return 'Trello board';
  return id;
}
