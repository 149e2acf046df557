// What every scenario shares: its command line, and how it hands its figures back.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_LATENCY_MS } from './system.ts';

export interface ScenarioArgs {
  /** Reduced sizes, for CI: proves the scenario still works, figures are indicative only. */
  quick: boolean;
  modelLatencyMs: number;
  /** Where run.ts wants the JSON; absent when the scenario runs alone (then it prints). */
  out: string | undefined;
}

export function scenarioArgs(argv = process.argv.slice(2)): ScenarioArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      'model-latency-ms': { type: 'string' },
      out: { type: 'string' },
    },
    allowPositionals: false,
  });
  const latency = Number(values['model-latency-ms'] ?? DEFAULT_MODEL_LATENCY_MS);
  if (!Number.isFinite(latency) || latency < 0) throw new Error('--model-latency-ms must be a number ≥ 0');
  return { quick: values.quick ?? false, modelLatencyMs: latency, out: values.out };
}

/** A scenario's figures: a fragment of bench/results/latest.json. */
export type Figures = Record<string, Record<string, unknown>>;

/**
 * Runs a scenario: its figures go to `--out` as JSON for run.ts, or are printed when it runs alone.
 * Exits 1 only when the scenario itself breaks.
 */
export function runScenario(main: (args: ScenarioArgs) => Promise<Figures>): void {
  const args = scenarioArgs();
  main(args).then(
    async (figures) => {
      if (args.out) writeFileSync(args.out, JSON.stringify(figures));
      else {
        const { printTable } = await import('../report.ts');
        printTable(figures);
        process.stdout.write('(every figure and its detail: add --out <file.json>)\n');
      }
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(
        `bench scenario failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exit(1);
    },
  );
}
