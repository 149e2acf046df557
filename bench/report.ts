// The bench's table: one line per figure, the goal beside it, and the time base it was measured in.

type Json = Record<string, unknown>;

export interface FigureLine {
  figure: string;
  measured: string;
  goal: string;
  /** undefined when the issue sets no goal. */
  met: boolean | undefined;
  base: 'real' | 'simulated';
}

const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);
const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '?');
const bytes = (n: number) =>
  !Number.isFinite(n)
    ? '?'
    : n < 10_000
      ? `${int(n)} B`
      : n < 1e6
        ? `${int(n / 1000)} KB`
        : `${(n / 1e6).toFixed(1)} MB`;

interface TriggerCost {
  trigger: string;
  medianRequests: number;
  medianBytes: number;
  maxRequests: number;
  maxBytes: number;
}

/** The figures of `results` (a whole latest.json, or one scenario's fragment) as table lines. */
export function figureLines(results: Json): FigureLine[] {
  const lines: FigureLine[] = [];
  const backlog = obj(results.backlog);
  if (results.backlog) {
    const ratio = num(backlog.ratio);
    lines.push({
      figure: `backlog: ${int(num(backlog.rows))} rows → all In review`,
      measured: `${int(num(backlog.seconds))} s; bound ${int(num(backlog.boundSeconds))} s (${String(backlog.boundBy)}); ratio ${ratio.toFixed(2)}`,
      goal: 'ratio ≥ 0.9',
      met: ratio >= 0.9,
      base: 'simulated',
    });
  }
  const idle = obj(results.idle);
  if (results.idle) {
    const bySize = obj(idle.bySize);
    const sizes = Object.keys(bySize).sort((a, b) => Number(a) - Number(b));
    const costs = (size: string) => (bySize[size] as TriggerCost[] | undefined) ?? [];
    const largest = costs(sizes[sizes.length - 1] ?? '');
    const perTrigger = largest.map((t) => `${t.trigger} ${t.medianRequests}`).join(', ');
    const reconcile = largest.map((t) => `${t.trigger} ${t.maxRequests}`).join(', ');
    lines.push({
      figure: 'idle: requests per trigger per poll',
      measured: `${perTrigger}; every 10 min a reconcile: ${reconcile}`,
      goal: '1',
      met: largest.every((t) => t.medianRequests <= 1),
      base: 'simulated',
    });
    const sheetBytes = (size: string) => costs(size).find((t) => t.trigger === 'sheets');
    const idleBytes = sizes.map((s) => `${int(Number(s))} rows ${bytes(num(sheetBytes(s)?.medianBytes))}`);
    const reconcileBytes = sizes.map((s) => bytes(num(sheetBytes(s)?.maxBytes))).join(' / ');
    const [small, large] = [sheetBytes(sizes[0] ?? ''), sheetBytes(sizes[sizes.length - 1] ?? '')];
    lines.push({
      figure: 'idle: response bytes per sheet poll',
      measured: `${idleBytes.join(', ')}; reconcile ${reconcileBytes}`,
      goal: 'independent of sheet size',
      met: small && large ? large.medianBytes <= small.medianBytes * 1.1 : undefined,
      base: 'simulated',
    });
  }
  const latency = obj(results.latency);
  if (results.latency) {
    const poll = num(latency.pollIntervalMs);
    lines.push({
      figure: `latency: append → draft − model, p50 (${int(poll)} ms polls)`,
      measured: `${int(num(latency.p50Ms))} ms (p90 ${int(num(latency.p90Ms))}; + ~${int(num(latency.processingP50Ms))} ms real processing)`,
      goal: `< ${int(poll + 200)} ms`,
      met: num(latency.p50Ms) < poll + 200,
      base: 'simulated',
    });
  }
  const cards = obj(results.cards);
  if (results.cards) {
    const boards = (cards.boards as { cardsBefore: number; bytesPerCard: number }[] | undefined) ?? [];
    lines.push({
      figure: 'trello: bytes per review card created',
      measured: `${boards.map((b) => `${int(b.cardsBefore)}-card board ${bytes(b.bytesPerCard)}`).join(', ')} (×${num(cards.ratio)})`,
      goal: 'same on both',
      met: num(cards.ratio) <= 1.1,
      base: 'simulated',
    });
  }
  const memory = obj(results.memory);
  const recipes = Array.isArray(memory.recipes) ? ` (${(memory.recipes as string[]).join(', ')})` : '';
  if (memory.idleRssMb !== undefined) {
    lines.push({
      figure: `memory: Baton idle RSS, all recipes${recipes}`,
      measured:
        memory.bridgeRssMb === undefined || memory.bridgeRssMb === null
          ? `${num(memory.idleRssMb)} MB`
          : `${num(memory.idleRssMb)} MB, of which the sandbox bridge ~${num(memory.bridgeRssMb)} MB`,
      goal: '< 80 MB',
      met: num(memory.idleRssMb) < 80,
      base: 'real',
    });
  }
  if (memory.idlePitchOnlyRssMb !== undefined) {
    lines.push({
      figure: 'memory: Baton idle RSS, the pitch recipe alone',
      measured: `${num(memory.idlePitchOnlyRssMb)} MB (bridge included)`,
      goal: '—',
      met: undefined,
      base: 'real',
    });
  }
  if (memory.peakRssMb !== undefined) {
    lines.push({
      figure: `memory: Baton peak RSS, ${int(num(memory.rows))}-row backlog`,
      measured: `${num(memory.peakRssMb)} MB (before it: ${num(memory.baselineRssMb)} MB)`,
      goal: '< 150 MB',
      met: num(memory.peakRssMb) < 150,
      base: 'real',
    });
    const after = (memory.afterRssMbByRepeat as number[] | undefined) ?? [];
    const heap = (memory.afterHeapMbByRepeat as number[] | undefined) ?? [];
    const growth = num(memory.growthPct);
    lines.push({
      figure: `memory: Baton RSS after each of ${after.length} backlogs`,
      measured:
        `${after.map(int).join(' → ')} MB (${growth >= 0 ? '+' : ''}${growth} %); JS heap ${heap[0]} → ` +
        `${heap[heap.length - 1]} MB (${int(num(memory.runsWaitingAtEnd))} runs waiting)`,
      goal: '< 10 % growth',
      met: growth < 10,
      base: 'real',
    });
  }
  const startup = obj(results.startup);
  if (results.startup) {
    lines.push({
      figure: 'start-up: baton start → first poll',
      measured: `${int(num(startup.ms))} ms${phaseWords(obj(startup.phasesMs))}`,
      goal: '—',
      met: undefined,
      base: 'real',
    });
    if (startup.withFinishedRunsMs !== undefined) {
      const extra = num(startup.withFinishedRunsMs) - num(startup.ms);
      lines.push({
        figure: `start-up: with ${int(num(startup.finishedRuns))} finished runs`,
        measured: `${int(num(startup.withFinishedRunsMs))} ms (first start, moving them to finished/: ${int(num(startup.withFinishedRunsNoIndexMs))} ms)`,
        goal: '< 1 s, independent',
        // Independent: within the noise of one start (a quarter of a second) of the empty folder's.
        met: num(startup.withFinishedRunsMs) < 1000 && extra < 250,
        base: 'real',
      });
    }
  }
  return lines;
}

/** "(modules and recipes 1.7 s, opening (data folder, instance check) 1.6 s, first trigger 0.4 s, the others 2.2 s)". */
function phaseWords(phases: Record<string, unknown>): string {
  if (phases.readyMs === undefined) return '';
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const [ready, started, any, every] = ['readyMs', 'startedMs', 'firstAnyPollMs', 'everyPollMs'].map((k) =>
    num(phases[k]),
  ) as [number, number, number, number];
  return ` (modules and recipes ${s(ready)}, opening (data folder, instance check) ${s(started - ready)}, first trigger ${s(any - started)}, the others ${s(every - any)})`;
}

export function renderTable(lines: FigureLine[]): string {
  const rows = [
    ['figure', 'measured', 'goal', '', 'time base'],
    ...lines.map((l) => [
      l.figure,
      l.measured,
      l.goal,
      l.met === undefined ? '' : l.met ? 'met' : 'MISSED',
      l.base,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const render = (r: string[]) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [render(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(render)].join(
    '\n',
  );
}

export function printTable(results: Json): void {
  process.stdout.write(`${renderTable(figureLines(results))}\n`);
}
