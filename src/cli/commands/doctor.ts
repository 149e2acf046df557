// `baton doctor`: checks the real configuration, one line per check (✓, ✗ with the fix, or ! a warning), before
// a user starts Baton for real. Exit code 1 when anything is wrong.

import {
  type AirtableBudgetReport,
  airtableBudgetReport,
  formatAirtableBudget,
} from '../../../connectors/airtable/budget-report.ts';
import { shippedRecipes } from '../../../recipes/index.ts';
import type { PitchTuning } from '../../../recipes/pitch/setup.ts';
import { sendingSettings } from '../../../recipes/shared/sending/index.ts';
import { sharedServices } from '../../../recipes/shared/services.ts';
import { systemClock } from '../../clock.ts';
import { loadHttpConfig, loadRuntimeConfig, type RedisConfig } from '../../config.ts';
import { type Logger, silentLogger } from '../../log.ts';
import { checkDataFolder, checkPort } from './doctor-local.ts';
import { pitchChecks } from './doctor-pitch.ts';
import type { Output } from './runs.ts';

/** Works, but something a user should know: printed with `!`, not counted as a problem. */
export interface DoctorWarning {
  warning: string;
}

/** One check: `run` resolves with what it found, or throws an Error whose message says the fix. */
export interface DoctorCheck {
  label: string;
  /** Skipped (not failed again) when this other check failed. */
  needs?: string;
  run(): Promise<string | DoctorWarning>;
}

export interface DoctorOptions {
  /** Client tuning (tests pass relaxed limits); doctor's default tries each request twice at most. */
  tuning?: PitchTuning;
  /** How long one check may take before it counts as failed (default 30 s). */
  checkTimeoutMs?: number;
  log?: Logger;
}

const DOCTOR_TUNING: PitchTuning = { retry: { maxAttempts: 2, initialDelayMs: 500, maxDelayMs: 2000 } };

/**
 * Runs every check in order and prints one line each: `✓ label: finding`, `✗ label: problem — fix`,
 * or `– label: not checked` when a check it depends on failed. Returns the exit code (0 or 1);
 * never throws for a failed check.
 */
export async function runDoctor(
  env: NodeJS.ProcessEnv,
  io: Output,
  options: DoctorOptions = {},
): Promise<number> {
  const checks = await doctorChecks(env, options);
  const failed = new Set<string>();
  for (const check of checks) {
    if (check.needs && failed.has(check.needs)) {
      failed.add(check.label);
      io.out(`– ${check.label}: not checked (fix '${check.needs}' first)`);
      continue;
    }
    try {
      const found = await withTimeout(check.run(), options.checkTimeoutMs ?? 30_000);
      io.out(typeof found === 'string' ? `✓ ${check.label}: ${found}` : `! ${check.label}: ${found.warning}`);
    } catch (err) {
      failed.add(check.label);
      io.out(`✗ ${check.label}: ${(err as Error)?.message ?? String(err)}`);
    }
  }
  const problems = checks.filter((c) => failed.has(c.label) && !(c.needs && failed.has(c.needs))).length;
  io.out(
    problems === 0
      ? `\nAll ${checks.length} checks passed: \`baton start\` is ready to run.`
      : `\n${problems} problem(s): fix the ✗ lines above, then run \`baton doctor\` again.`,
  );
  return problems === 0 ? 0 : 1;
}

async function doctorChecks(env: NodeJS.ProcessEnv, options: DoctorOptions): Promise<DoctorCheck[]> {
  const runtime = loadRuntimeConfig(env);
  const http = loadHttpConfig(env);
  const configured = shippedRecipes.filter((f) => f.configured(env));
  const problems = [...(runtime.ok ? [] : runtime.problems), ...configured.flatMap((f) => f.problems(env))];
  const checks: DoctorCheck[] = [
    {
      label: 'Configuration',
      run: async () => {
        if (problems.length > 0)
          throw new Error(`${problems.join('; ')} — set these in .env (see .env.example)`);
        if (configured.length === 0) {
          throw new Error(
            'no recipe is configured — copy .env.example to .env and fill in the pitch section (or try `baton sandbox` first)',
          );
        }
        return `complete (recipes: ${configured.map((f) => f.name).join(', ')})`;
      },
    },
    {
      label: 'Data folder',
      needs: runtime.ok ? undefined : 'Configuration',
      run: async () => checkDataFolder(runtime.ok ? runtime.config.dataDir : ''),
    },
    {
      label: 'HTTP port',
      needs: http.ok ? undefined : 'Configuration',
      run: async () => (http.ok ? checkPort(http.config.host, http.config.port) : ''),
    },
  ];
  // Scale-out only: without BATON_REDIS_URL the data folder above is the store, and no Redis is asked.
  if (runtime.ok && runtime.config.redis) {
    // Loaded only here: a Baton without Redis never loads ioredis or BullMQ.
    const { redisCheck } = await import('./doctor-redis.ts');
    checks.push(
      redisCheck(
        runtime.config.redis,
        configured.map((f) => f.name),
      ),
    );
  }
  if (configured.length > 0) checks.push(sendingCheck(env));
  if (env.AIRTABLE_BASE_ID?.trim())
    checks.push(
      airtableCallsCheck(
        env,
        runtime.ok ? runtime.config.dataDir : '',
        runtime.ok ? runtime.config.redis : undefined,
      ),
    );
  if (configured.some((f) => f.name === 'pitch')) {
    const environment = { env, log: options.log ?? silentLogger, clock: systemClock };
    const pitch = pitchChecks(environment, { ...DOCTOR_TUNING, ...options.tuning });
    // Nothing is built or asked while the configuration is incomplete.
    checks.push(...pitch.map((c) => ({ ...c, needs: problems.length > 0 ? 'Configuration' : c.needs })));
  }
  // What `baton setup` creates, per recipe (the pitch's board is checked above).
  const environment = { env, log: options.log ?? silentLogger, clock: systemClock };
  const services = sharedServices(environment, { ...DOCTOR_TUNING, ...options.tuning });
  for (const factory of configured) {
    if (!factory.schemaChecks) continue;
    const schema = await factory.schemaChecks(services, env);
    // Recipes on one base and board share checks (the Baton table, the review lists): each runs once.
    const fresh = schema.filter((c) => !checks.some((done) => done.label === c.label));
    checks.push(...fresh.map((c) => ({ ...c, needs: problems.length > 0 ? 'Configuration' : c.needs })));
  }
  return checks;
}

/**
 * The month's Airtable calls and projection; ✗ when a budget setting is wrong or the month's calls
 * are spent. Scale-out (`redis`): the whole group's calls, from Redis, as the budget counts them.
 */
function airtableCallsCheck(env: NodeJS.ProcessEnv, dataDir: string, redis?: RedisConfig): DoctorCheck {
  return {
    label: 'Airtable calls',
    needs: redis ? 'Redis' : 'Data folder',
    run: async () => {
      let report: AirtableBudgetReport | undefined;
      if (redis) {
        // Loaded only here, as the Redis check: a Baton without Redis never loads ioredis.
        const { groupAirtableReport } = await import('./status-group.ts');
        report = await groupAirtableReport(redis, env, dataDir, Date.now());
      } else report = await airtableBudgetReport(env, dataDir, Date.now());
      if (!report) return 'Airtable is not configured';
      const line = formatAirtableBudget(report);
      if (report.stopped)
        throw new Error(
          `${line} — wait for the new month, or set AIRTABLE_PLAN / AIRTABLE_MONTHLY_CALLS if your plan allows more`,
        );
      return line;
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `no answer within ${Math.round(ms / 1000)} s — check the network and the service's status page`,
          ),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The sending manners in force, and a warning when unattended mail would go without a postal address. */
function sendingCheck(env: NodeJS.ProcessEnv): DoctorCheck {
  return {
    label: 'Sending',
    needs: 'Configuration',
    run: async () => {
      const parsed = sendingSettings(env);
      if (!parsed.ok) throw new Error(parsed.problems.join('; '));
      const { dailyLimit, window, zone, senderAddress } = parsed.settings;
      const manners = `at most ${dailyLimit} emails a day; unattended ones ${window.kind === 'always' ? 'at any time' : `${window.text} (${zone})`}`;
      if (senderAddress) return manners;
      return {
        warning: `${manners}; SENDER_ADDRESS is not set, so unattended emails carry no postal address (anti-spam laws such as CAN-SPAM ask for one) — set SENDER_ADDRESS`,
      };
    },
  };
}
