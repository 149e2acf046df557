// Plain-text rendering of `baton status` for the terminal.
import { formatAirtableBudget } from '../../../connectors/airtable/budget-report.ts';
import { formatUsd, type SpendTotals } from '../../llm/index.ts';
import type { PollerReport, StatusReport, WaitReport } from './status.ts';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** "in 40 s", "3 min ago", "in 2 h". */
function relative(ms: number, now: number): string {
  const d = Math.round((ms - now) / 1000);
  const a = Math.abs(d);
  const size = a < 90 ? `${a} s` : a < 3600 ? `${Math.round(a / 60)} min` : `${Math.round(a / 3600)} h`;
  return d >= 0 ? `in ${size}` : `${size} ago`;
}

/** Long ids inside a trigger id (spreadsheets, boards) shortened: `sheets:1AbCdE…:Leads`. */
function shortTrigger(id: string): string {
  return id
    .split(':')
    .map((part) => (part.length > 14 ? `${part.slice(0, 6)}…` : part))
    .join(':');
}

export function formatStatus(report: StatusReport): string {
  const { now } = report;
  const lines = [processLine(report), '', 'Pollers'];
  if (report.pollers.length === 0)
    lines.push('  (none reported: Baton writes them while `baton start` runs)');
  for (const p of report.pollers) lines.push(`  ${pollerLine(p, now)}`);
  if (report.process.state !== 'running' && report.pollers.length > 0)
    lines.push('  (as last reported; Baton is not running now)');

  const r = report.runs;
  lines.push(
    '',
    `Runs      ${r.queued} queued, ${r.running} running, ${r.waiting} waiting, ${r.failed} failed, ${r.done} done, ${r.cancelled} cancelled`,
  );
  if (r.failed > 0) lines.push('          see them with `baton runs --status failed`');

  const w = report.waits;
  const next = w.next24h[0];
  lines.push(
    `Waits     ${w.dueNow.length} due now, ${w.next24h.length} due in the next 24 h${next ? ` (next: ${waitLine(next, now)})` : ''}; ${w.onSignal} waiting for a signal (e.g. a card move)`,
  );
  for (const wait of w.dueNow.slice(0, 5)) lines.push(`          due: ${waitLine(wait, now)}`);

  const u = report.llmToday;
  const tokens = u.promptTokens + u.completionTokens;
  const cost = `about $${u.costUsd.toFixed(u.costUsd < 1 ? 4 : 2)}`;
  const unpriced = u.unpriced > 0 ? ` (+ ${u.unpriced} step(s) with no known price)` : '';
  lines.push(
    `LLM today ${tokens.toLocaleString('en-US')} tokens (${u.promptTokens.toLocaleString('en-US')} prompt + ${u.completionTokens.toLocaleString('en-US')} completion), ${cost}${unpriced}${u.models.length ? ` — ${u.models.join(', ')}` : ''}`,
    `          since midnight (${Intl.DateTimeFormat().resolvedOptions().timeZone} time); estimated from list prices`,
  );
  // One line per provider and model, so a writer on one and an auditor on another each show their share.
  if (u.byModel.length > 1) {
    for (const m of u.byModel) {
      const mTokens = (m.promptTokens + m.completionTokens).toLocaleString('en-US');
      const mCost =
        m.unpriced > 0 && m.costUsd === 0
          ? 'no known price'
          : `about $${m.costUsd.toFixed(m.costUsd < 1 ? 4 : 2)}`;
      lines.push(`          ${m.provider}:${m.model} ${mTokens} tokens, ${mCost}`);
    }
  }
  const a = report.airtable;
  if (a) lines.push('', 'problem' in a ? `Airtable  ${a.problem}` : formatAirtableBudget(a));
  if (report.group) lines.push(...(a ? [] : ['']), ...groupLines(report));
  else lines.push(...spendLines(report));
  return lines.join('\n');
}

/** Scale-out: what every process of the group counted today (and the month's LLM detail), from Redis. */
function groupLines(report: StatusReport): string[] {
  const { now } = report;
  const group = report.group;
  if (!group) return [];
  const g = group.gmail;
  const gmail =
    'problem' in g
      ? `Gmail today: ${g.problem}`
      : `Gmail today: ${g.sent} of ${g.limit} sent (GMAIL_DAILY_LIMIT)${g.sent >= g.limit ? ', the cap is reached: the next emails wait for tomorrow' : ''} (whole group)`;
  const l = group.llm;
  const spend =
    l.budgetUsd === undefined
      ? `LLM spend today: ${formatUsd(l.spentUsd)} (UTC day; no daily budget set) (whole group)`
      : l.reached
        ? `LLM budget reached: ${formatUsd(l.spentUsd)} of ${formatUsd(l.budgetUsd)} (BATON_LLM_DAILY_BUDGET) (whole group), resuming 00:00 UTC (${relative(l.resumeAt, now)}); work that needs no model goes on`
        : `LLM spend today: ${formatUsd(l.spentUsd)} of the ${formatUsd(l.budgetUsd)} daily budget (BATON_LLM_DAILY_BUDGET) (whole group)`;
  const detail = report.llmSpend;
  // Per recipe, as one process shows its own: the sums of every process's calls.
  return detail
    ? [
        gmail,
        spend,
        `          today: ${period(detail.today)}; this month: ${period(detail.thisMonth)} (UTC, whole group)`,
      ]
    : [gmail, spend];
}

/** "12,345 tokens, $0.04 (pitch $0.03, leads $0.01, + 1 call(s) with no known price)". */
function period(t: SpendTotals): string {
  const recipes = t.byRecipe.map((r) => `${r.recipe} ${formatUsd(r.costUsd)}`).join(', ');
  const unpriced = t.unpriced > 0 ? `, + ${t.unpriced} call(s) with no known price` : '';
  return `${(t.promptTokens + t.completionTokens).toLocaleString('en-US')} tokens, ${formatUsd(t.costUsd)}${recipes ? ` (${recipes}${unpriced})` : ''}`;
}

/** What the process counted per recipe (UTC days), and the daily budget when one is set. */
function spendLines(report: StatusReport): string[] {
  const spend = report.llmSpend;
  if (!spend) return [];
  const lines = [`LLM spend today: ${period(spend.today)}; this month: ${period(spend.thisMonth)} (UTC)`];
  const budget = spend.budget;
  if (budget?.reached) {
    lines.push(
      `LLM budget reached: ${formatUsd(budget.spentUsd)} of ${formatUsd(budget.usd)}, resuming 00:00 UTC (${relative(budget.resumeAt, report.now)}); work that needs no model goes on`,
    );
  } else if (budget) {
    lines.push(
      `          daily budget ${formatUsd(budget.usd)} (BATON_LLM_DAILY_BUDGET): ${formatUsd(budget.spentUsd)} spent today`,
    );
  }
  return lines;
}

function processLine(report: StatusReport): string {
  const p = report.process;
  const where = `data folder ${report.dataDir}`;
  if (p.state === 'never') return `Baton has not run with ${where} yet (start it with \`baton start\`).`;
  const since = `started ${iso(p.startedAt)}`;
  if (p.state === 'running')
    return `Baton is running: pid ${p.pid} on ${p.host}, ${since}, status written ${relative(p.writtenAt, report.now)} (${where}).`;
  if (p.state === 'stopped')
    return `Baton is stopped: it stopped cleanly ${relative(p.writtenAt, report.now)} (${where}).`;
  return `Baton is not running: pid ${p.pid} is gone without a clean stop (crash or kill?), last seen ${relative(p.writtenAt, report.now)} (${where}).`;
}

function pollerLine(p: PollerReport, now: number): string {
  const last =
    p.lastPollAt !== undefined
      ? `last ${iso(p.lastPollAt)} (${relative(p.lastPollAt, now)})`
      : 'not polled yet';
  const next = p.nextPollAt !== undefined ? `next ${relative(p.nextPollAt, now)}` : 'next: soon';
  const health =
    p.consecutiveErrors > 0
      ? `✗ ${p.consecutiveErrors} failed poll(s) in a row: ${p.lastError ?? 'unknown error'}`
      : `✓ ${p.polls} poll(s)`;
  const skipped = p.skipped > 0 ? `, ${p.skipped} skipped while the service was paused` : '';
  return `${p.recipe}  ${shortTrigger(p.trigger)}  ${last}, ${next}  ${health}${skipped}`;
}

function waitLine(w: WaitReport, now: number): string {
  const what =
    w.reason === 'retry'
      ? `retry of '${w.stepId}'`
      : w.reason === 'sleep'
        ? `sleep '${w.stepId}'`
        : w.reason === 'paused'
          ? `pause of '${w.stepId}'`
          : `timeout of '${w.stepId}'`;
  return `${w.runId} ${what}${w.at !== undefined ? ` ${relative(w.at, now)}` : ''}`;
}
