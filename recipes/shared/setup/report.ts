// What `baton setup` did for one recipe: one step per service object (a table, a database, a board),
// printed as it finishes: `✓ label: added …; N already there` or `✗ label: what a person must do`.

/** Where setup prints; `err` (stderr) for the command's own refusals. */
export interface SetupIo {
  out(text: string): void;
  err?(text: string): void;
}

export interface SetupStep {
  /** e.g. `Airtable Leads`, `Notion dossier database`, `Trello board`. */
  label: string;
  /** False when something needs a person (the problems say what). */
  ok: boolean;
  /** What setup made, described (`Score (number)`). */
  created: string[];
  /** What was already there. */
  existing: string[];
  /** What a person must do, each with the fix. */
  problems: string[];
  /** Lines printed under the step, indented (fields to add by hand). */
  manual?: string[];
  /** Replaces the generated line after the mark (a step with nothing to count). */
  summary?: string;
  /** `field`, `property`, `list`: how the counts read. */
  noun?: string;
}

export interface SetupReport {
  recipe: string;
  steps: SetupStep[];
}

/** True when every step is done: nothing needs a person. */
export const setupDone = (report: SetupReport): boolean => report.steps.every((s) => s.ok);

const plural = (n: number, noun: string) =>
  `${n} ${noun === 'property' ? (n === 1 ? 'property' : 'properties') : `${noun}${n === 1 ? '' : 's'}`}`;

/** The step's line(s), e.g. `✓ Airtable Leads: added Score (number); 6 fields already there`. */
export function formatStep(step: SetupStep): string {
  const noun = step.noun ?? 'item';
  const parts: string[] = [];
  if (step.summary) parts.push(step.summary);
  else if (step.created.length > 0) {
    parts.push(`added ${step.created.join(', ')}`);
    if (step.existing.length > 0) parts.push(`${plural(step.existing.length, noun)} already there`);
  } else if (step.existing.length > 0 && step.problems.length === 0) {
    parts.push(
      step.existing.length === 1 ? `the ${noun} is there` : `all ${plural(step.existing.length, noun)} there`,
    );
  }
  parts.push(...step.problems);
  const line = `${step.ok ? '✓' : '✗'} ${step.label}: ${parts.join('; ')}`;
  return [line, ...(step.manual ?? []).map((m) => `    ${m}`)].join('\n');
}

/** A step that could not run at all (a missing variable, a refused token): its error says the fix. */
export function failedStep(label: string, err: unknown): SetupStep {
  const message = err instanceof Error ? err.message : String(err);
  return { label, ok: false, created: [], existing: [], problems: [message] };
}

/** Runs one step, prints it, and adds it to the report; never throws. */
export async function runStep(
  report: SetupReport,
  io: SetupIo,
  label: string,
  run: () => Promise<SetupStep>,
): Promise<SetupStep> {
  let step: SetupStep;
  try {
    step = await run();
  } catch (err) {
    step = failedStep(label, err);
  }
  report.steps.push(step);
  io.out(formatStep(step));
  return step;
}

/** The value of a variable setup needs. @throws Error naming the variable when it is unset. */
export function required(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const value = env[name]?.trim();
  if (!value) throw new Error(`${name} is not set — set it to ${what} in .env`);
  return value;
}
