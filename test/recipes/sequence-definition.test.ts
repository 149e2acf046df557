// The sequences file: the shipped sample, and errors that name the line to fix.
import { describe, expect, it } from 'vitest';
import {
  afterMs,
  loadSequences,
  parseSequences,
  SequencesFileError,
} from '../../recipes/sequence/definition.ts';
import { DAY, HOUR, SAMPLE_SEQUENCES } from './sequence-world.ts';

const problem = (text: string) => {
  try {
    parseSequences(text, 'sequences.yaml');
  } catch (err) {
    if (err instanceof SequencesFileError) return err;
    throw err;
  }
  throw new Error('parsed without a problem');
};

describe('sequences file', () => {
  it('the shipped sample has nurture on days 0, 3 and 7, and onboarding', () => {
    const sequences = loadSequences(SAMPLE_SEQUENCES);
    expect(sequences.get('nurture')?.map((s) => s.afterMs)).toEqual([0, 3 * DAY, 7 * DAY]);
    expect(sequences.get('nurture')?.[2]?.brief).toContain('15-minute call');
    expect(sequences.get('onboarding')?.length).toBeGreaterThan(0);
    expect(sequences.get('onboarding')?.[0]?.subject).toBe('Welcome aboard');
  });

  it('reads durations as written and puts steps in time order', () => {
    expect([afterMs('0d'), afterMs('36h'), afterMs('90m'), afterMs('2w'), afterMs('3 days')]).toEqual([
      0,
      36 * HOUR,
      90 * 60_000,
      14 * DAY,
      undefined,
    ]);
    const sequences = parseSequences(
      's:\n  - after: 36h\n    brief: later\n  - after: 0d\n    brief: first\n',
      'f',
    );
    expect(sequences.get('s')?.map((s) => s.brief)).toEqual(['first', 'later']);
  });

  it('names the line of each problem', () => {
    const missingBrief = problem(
      'nurture:\n  - after: 0d\n    brief: Hello.\n  - after: 3d\n    subject: Hi\n',
    );
    expect(missingBrief.message).toBe(
      'sequences.yaml line 4: nurture, step 2, brief: needs `brief`: what this email should do',
    );
    expect(missingBrief.line).toBe(4);

    const badAfter = problem(
      'nurture:\n  - after: 0d\n    brief: Hello.\n  - after: 3 days\n    brief: Later.\n',
    );
    expect(badAfter.line).toBe(4);
    expect(badAfter.message).toContain("'3 days' is not a duration from enrolment");

    const syntax = problem('nurture:\n  - after: 0d\n    brief: "unclosed\n  - after: 3d\n');
    expect(syntax.line).toBeGreaterThanOrEqual(3);
    expect(syntax.message).toMatch(/^sequences\.yaml line \d+: /);

    const twice = problem(
      'nurture:\n  - after: 0d\n    brief: One.\n  - after: 24h\n    brief: Two.\n  - after: 1d\n    brief: Three.\n',
    );
    expect(twice.line).toBe(6);
    expect(twice.message).toContain('two steps at 1d after enrolment');

    expect(problem('nurture: hello\n').message).toBe(
      'sequences.yaml line 1: nurture: must be a list of steps (`- after: 0d` …)',
    );
    expect(problem('- after: 0d\n').message).toContain('must map sequence names to lists of steps');
  });

  it('says how to fix a missing file', () => {
    expect(() => loadSequences('/nowhere/sequences.yaml')).toThrow(/not found: create it .*SEQUENCES_FILE/);
  });
});
