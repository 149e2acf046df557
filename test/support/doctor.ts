// `baton doctor` run in the test process: its exit code and the line a test reads.
import { runDoctor } from '../../src/cli/commands/doctor.ts';

/** Runs the doctor with `env` (ops port 0) and returns its code and the line starting with `label`. */
export async function doctorLine(env: NodeJS.ProcessEnv, label: string) {
  const lines: string[] = [];
  const code = await runDoctor(
    { BATON_HTTP_PORT: '0', ...env },
    { out: (text) => lines.push(...text.split('\n')) },
  );
  return { code, line: lines.find((l) => l.slice(2).startsWith(label)) };
}
