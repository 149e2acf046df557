// Plain-text rendering of runs for the terminal.
import type { RunRecord } from '../engine/index.ts';

const time = (ms: number | undefined) =>
  ms === undefined ? '-' : new Date(ms).toISOString().replace('.000Z', 'Z');

export function runsTable(runs: readonly RunRecord[]): string {
  if (runs.length === 0) return 'No runs.';
  const rows = runs.map((r) => [r.id, r.recipe, r.status, time(r.updatedAt), waitOrError(r)]);
  const header = ['RUN', 'RECIPE', 'STATUS', 'UPDATED', 'WAITING FOR / ERROR'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function waitOrError(run: RunRecord): string {
  if (run.status === 'failed') return run.error?.message ?? '';
  if (run.status !== 'waiting' || !run.wake) return '';
  const { reason, stepId, key, at } = run.wake;
  if (reason === 'retry') return `retry of '${stepId}' at ${time(at)}`;
  if (reason === 'sleep') return `sleep '${stepId}' until ${time(at)}`;
  if (reason === 'paused')
    return `'${stepId}' paused until ${time(at)}${run.wake.note ? `: ${run.wake.note}` : ''}`;
  return `signal ${key} (timeout ${time(at)})`;
}

export function runDetails(run: RunRecord): string {
  const lines = [
    `Run      ${run.id}`,
    `Recipe   ${run.recipe}`,
    `Item     ${run.itemKey}`,
    `Status   ${run.status}${run.status === 'waiting' ? ` — ${waitOrError(run)}` : ''}`,
    `Created  ${time(run.createdAt)}`,
    `Updated  ${time(run.updatedAt)}  (${run.executions} execution(s))`,
    '',
    'Steps',
  ];
  if (run.journal.length === 0) lines.push('  (none yet)');
  for (const entry of run.journal) {
    const took =
      entry.startedAt !== undefined && entry.endedAt !== undefined
        ? ` ${entry.endedAt - entry.startedAt} ms`
        : '';
    const tries = entry.attempts > 1 ? ` after ${entry.attempts} attempts` : '';
    lines.push(`  ${entry.status.padEnd(7)} ${entry.kind.padEnd(6)} ${entry.id}${tries}${took}`);
    if (entry.error && entry.status !== 'done') lines.push(`          error: ${entry.error.message}`);
    const usage = entry.annotations?.usage;
    if (usage) lines.push(`          usage: ${JSON.stringify(usage)}`);
  }
  if (run.error) lines.push('', `Error    ${run.error.message}`);
  if (run.status === 'failed') lines.push('', `Retry it with: baton retry ${run.id}`);
  if (run.output !== undefined) lines.push('', `Output   ${JSON.stringify(run.output)}`);
  return lines.join('\n');
}
