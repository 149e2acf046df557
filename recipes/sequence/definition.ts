// The sequences file (SEQUENCES_FILE, default `sequences.yaml`): top-level keys are sequence names,
// each a list of steps `{ after, brief, subject? }`. Parsed with `yaml` (which keeps node positions)
// and checked with zod, so every error names the file and the line to fix.
import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const AFTER = /^(\d+(?:\.\d+)?)\s*(m|h|d|w)$/;

/** Milliseconds for `0d`, `3d`, `36h`, `90m`, `2w`; undefined for anything else. */
export function afterMs(text: string): number | undefined {
  const match = AFTER.exec(text.trim());
  return match ? Math.round(Number(match[1]) * UNITS[match[2]!]!) : undefined;
}

const Step = z.object(
  {
    after: z
      .union([z.string(), z.number()], {
        error: 'needs `after`: a duration from enrolment such as 0d, 3d or 36h',
      })
      .transform((value, ctx) => {
        const ms = afterMs(String(value));
        if (ms === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `'${value}' is not a duration from enrolment: use forms like 0d, 3d or 36h`,
          });
          return z.NEVER;
        }
        return { text: String(value).trim(), ms };
      }),
    brief: z
      .string({ error: 'needs `brief`: what this email should do' })
      .trim()
      .min(1, { error: 'needs `brief`: what this email should do' }),
    subject: z.string({ error: '`subject` must be text' }).trim().min(1).optional(),
  },
  { error: 'each step must be a map with `after`, `brief` and optionally `subject`' },
);

const Sequence = z
  .array(Step, { error: 'must be a list of steps (`- after: 0d` …)' })
  .min(1, { error: 'must have at least one step' });

const File = z.record(z.string().trim().min(1), Sequence, {
  error: 'must map sequence names to lists of steps (`nurture:` then `- after: 0d` …)',
});

/** One email of a sequence, at `afterMs` from enrolment (its identity: a run never sends one twice). */
export interface SequenceStep {
  /** As written (`3d`). */
  after: string;
  afterMs: number;
  brief: string;
  subject?: string;
}

/** Sequence name → its steps, in time order. */
export type Sequences = Map<string, SequenceStep[]>;

/** The file cannot be used; `message` names the file and the line. */
export class SequencesFileError extends Error {
  override readonly name = 'SequencesFileError';
  readonly file: string;
  readonly line?: number;
  constructor(file: string, problem: string, line?: number) {
    super(`${file}${line ? ` line ${line}` : ''}: ${problem}`);
    this.file = file;
    if (line !== undefined) this.line = line;
  }
}

/**
 * Parses the text of a sequences file.
 * @throws SequencesFileError naming `file` and the line of the first problem
 */
export function parseSequences(text: string, file: string): Sequences {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const lineAt = (offset: number) => lines.linePos(offset).line;
  const yamlError = doc.errors[0];
  if (yamlError)
    throw new SequencesFileError(file, yamlError.message.split('\n')[0]!, lineAt(yamlError.pos[0]));
  const parsed = File.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    // The deepest node the path reaches (a missing field points at its step).
    let line: number | undefined;
    for (let depth = path.length; depth >= 0 && line === undefined; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) line = lineAt(node.range[0]);
    }
    const where = path.length
      ? `${path.map((p) => (typeof p === 'number' ? `step ${p + 1}` : p)).join(', ')}: `
      : '';
    throw new SequencesFileError(file, `${where}${issue.message}`, line);
  }
  const sequences: Sequences = new Map();
  for (const [name, steps] of Object.entries(parsed.data)) {
    const sorted = steps
      .map((s) => ({
        after: s.after.text,
        afterMs: s.after.ms,
        brief: s.brief,
        ...(s.subject ? { subject: s.subject } : {}),
      }))
      .sort((a, b) => a.afterMs - b.afterMs);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.afterMs === sorted[i - 1]!.afterMs) {
        const index = steps.findIndex(
          (s, j) =>
            s.after.ms === sorted[i]!.afterMs &&
            j > 0 &&
            steps.slice(0, j).some((t) => t.after.ms === s.after.ms),
        );
        const node = doc.getIn([name, Math.max(index, 0)], true);
        throw new SequencesFileError(
          file,
          `${name}: two steps at ${sorted[i]!.after} after enrolment; give each step its own time`,
          isNode(node) && node.range ? lineAt(node.range[0]) : undefined,
        );
      }
    }
    sequences.set(name.trim(), sorted);
  }
  return sequences;
}

/**
 * Reads and parses the file (read again before every step, so an edit changes future steps).
 * @throws SequencesFileError when it is missing or wrong
 */
export function loadSequences(file: string): Sequences {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SequencesFileError(
      file,
      code === 'ENOENT'
        ? 'not found: create it (the project ships a sample sequences.yaml) or set SEQUENCES_FILE'
        : `cannot be read (${code ?? String(err)})`,
    );
  }
  return parseSequences(text, file);
}
