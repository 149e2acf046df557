// Builds the sequence recipe from the environment (one records trigger per table in SEQUENCE_TABLES,
// the shared review board and reply watcher), and its `baton setup` and `baton doctor` parts.
import {
  type AirtableClient,
  type AirtableItem,
  airtableInstanceHome,
  airtableRenewEveryMs,
  formula,
  records,
} from '../../connectors/airtable/index.ts';
import { NotFoundError } from '../../connectors/core/index.ts';
import type { DoctorCheck } from '../../src/cli/commands/doctor.ts';
import { parseEnv } from '../../src/config.ts';
import type { Recipe } from '../../src/engine/index.ts';
import type { Trigger } from '../../src/triggers/index.ts';
import type { RecipeEnvironment, RecipeFactory } from '../index.ts';
import { DEFAULT_LEADS_TABLE } from '../leads/schema.ts';
import type { LeadsTuning } from '../leads/setup.ts';
import { type SequenceServices, sequenceRecipe } from '../sequence.ts';
import { type BusinessProfile, businessProfile } from '../shared/profile.ts';
import type { ListRole } from '../shared/review/index.ts';
import { reviewListNames, type SharedServices, sharedServices } from '../shared/services.ts';
import {
  checkAirtableFields,
  ensureAirtableFields,
  required,
  runStep,
  type SetupIo,
  type SetupReport,
} from '../shared/setup/index.ts';
import {
  SequenceEnv,
  type SequenceTable,
  sequenceConfigured,
  sequenceProblems,
  sequencesFile,
  sequenceTables,
} from './config.ts';
import { loadSequences } from './definition.ts';
import { SEQUENCE_AIRTABLE_FIELDS, SEQUENCE_USER_FIELDS } from './schema.ts';
import { SEQUENCE_FIELDS, SEQUENCE_STATUS } from './status.ts';

/** Tuning the sandbox, a test or the bench may change. */
export interface SequenceTuning extends LeadsTuning {
  /**
   * Records that already had a `Sequence` when the recipe first started are enrolled too (the
   * sandbox: its data folder is emptied at each start, so every start is a first enable).
   */
  backfill?: boolean;
}

/** Statuses of an enrolment whose run is still going: `Enrolled`, `Step 1 of 3 sent …`, a step skipped in review, a card waiting. */
const SEQUENCE_IN_FLIGHT = (() => {
  const status = formula.field(SEQUENCE_FIELDS.status);
  const startsWith = (prefix: string) => `FIND(${formula.text(prefix)}, ${status}) = 1`;
  return formula.or(
    `${status} = ${formula.text(SEQUENCE_STATUS.enrolled)}`,
    `${status} = ${formula.text(SEQUENCE_STATUS.waitingForReview)}`,
    startsWith('Step '),
    startsWith('Skipped: step '),
  );
})();

/** The records trigger of one table, under its own id (leads watches the same table with its own cursor). */
function tableTrigger(
  airtable: AirtableClient,
  table: SequenceTable,
  environment: RecipeEnvironment,
  shared: SharedServices,
  tuning: SequenceTuning,
): Trigger<AirtableItem> {
  const budget = shared.airtableBudget();
  const inner = records(airtable, {
    base: table.base,
    table: table.table,
    statusField: SEQUENCE_FIELDS.status,
    claimStatus: SEQUENCE_STATUS.enrolled,
    formula: `${formula.field(SEQUENCE_FIELDS.sequence)} != ''`,
    // A lost data folder loses the runs, not the enrolments: records still in a sequence get theirs back.
    runField: SEQUENCE_FIELDS.run,
    inFlightFormula: SEQUENCE_IN_FLIGHT,
    // First enable: records already carrying a Sequence are not enrolled all at once.
    onlyNewSinceEnabled: !tuning.backfill,
    ...(budget ? { budget } : {}),
    instanceHome: airtableInstanceHome(airtable, table.base, {
      renewEveryMs: airtableRenewEveryMs(budget?.limit),
      log: environment.log,
    }),
    clock: environment.clock,
    log: environment.log,
    ...(tuning.claimSettleMs !== undefined ? { claimSettleMs: tuning.claimSettleMs } : {}),
    ...(tuning.pollIntervalMs !== undefined ? { intervalMs: tuning.pollIntervalMs } : {}),
  });
  let missingSaid = false;
  const trigger: Trigger<AirtableItem> = {
    id: `sequence:${inner.id}`,
    get intervalMs() {
      return inner.intervalMs;
    },
    get paused() {
      return inner.paused;
    },
    ...(inner.instanceHome ? { instanceHome: inner.instanceHome } : {}),
    async poll(ctx) {
      try {
        return await inner.poll(ctx);
      } catch (err) {
        // A default table the base does not have (no customer pathway yet): nobody to enrol from it.
        if (!(table.optional && err instanceof NotFoundError)) throw err;
        if (!missingSaid) ctx.log.info({ table: table.table }, 'no such table: nobody is enrolled from it');
        missingSaid = true;
        return {};
      }
    },
    claim: (item) => inner.claim!(item),
    reject: (item, reason) => inner.reject!(item, reason),
    release: (item) => inner.release!(item),
  };
  return shared.watched(trigger, `the Airtable table ${table.table}`);
}

export function buildSequence(
  environment: RecipeEnvironment,
  tuning: SequenceTuning = environment.tuning ?? {},
): Recipe {
  const parsed = parseEnv(SequenceEnv, environment.env);
  if (!parsed.ok) throw new Error(`sequence configuration: ${parsed.problems.join('; ')}`);
  const env = parsed.config;
  const shared = sharedServices(environment, tuning);
  const airtable = shared.airtable();
  const { llm, auditor } = shared.models('sequence');
  const names = reviewListNames(environment.env);
  const lists = Object.fromEntries(Object.entries(names).map(([role, l]) => [role, l.name])) as Record<
    ListRole,
    string
  >;
  const tables = sequenceTables(environment.env);
  const file = sequencesFile(environment.env);
  const leadsTable = env.LEADS_TABLE || DEFAULT_LEADS_TABLE;
  const services: SequenceServices = {
    airtable,
    gmail: shared.gmail(),
    trello: shared.trello(),
    llm,
    auditor,
    ...(environment.env.NOTION_TOKEN?.trim() ? { notion: shared.notion() } : {}),
    lists: () => shared.reviewLists(),
    sendRules: shared.sendRules(),
    ...(shared.slack() ? { alert: (text: string) => shared.alert(text) } : {}),
    clock: environment.clock,
    sequences: () => loadSequences(file),
    triggers: [
      ...tables.map((t) => tableTrigger(airtable, t, environment, shared, tuning)),
      shared.reviewBoard(),
      shared.gmailReplies(),
    ],
  };
  const unsubscribeTables = [...new Set([...tables.map((t) => t.table), leadsTable])].map((table) => ({
    base: env.AIRTABLE_BASE_ID,
    table,
  }));
  return sequenceRecipe(services, {
    profile: businessProfile(environment.env) as BusinessProfile,
    review: { lists, timeout: env.REVIEW_TIMEOUT, maxRevisions: env.PITCH_MAX_REVISIONS },
    reviewAll: env.SEQUENCE_REVIEW_ALL,
    unsubscribeTables,
    leadsTable,
    ...(environment.env.BOOKING_URL?.trim() ? { bookingUrl: environment.env.BOOKING_URL.trim() } : {}),
  }) as Recipe;
}

/** `baton setup sequence`: Sequence, Sequence status and Unsubscribed in every table people are enrolled from. */
export async function sequenceSetup(environment: RecipeEnvironment, io: SetupIo): Promise<SetupReport> {
  const { env } = environment;
  const services = sharedServices(environment);
  const report: SetupReport = { recipe: 'sequence', steps: [] };
  for (const table of sequenceTables(env)) {
    await runStep(report, io, `Airtable ${table.table}`, async () => {
      required(env, 'AIRTABLE_TOKEN', 'a personal access token for the base');
      required(env, 'AIRTABLE_BASE_ID', "the base id (app…, from the base's URL)");
      try {
        return await ensureAirtableFields(
          services.airtable(),
          table,
          SEQUENCE_AIRTABLE_FIELDS,
          SEQUENCE_USER_FIELDS,
        );
      } catch (err) {
        if (!(table.optional && err instanceof NotFoundError)) throw err;
        return {
          label: `Airtable ${table.table}`,
          ok: true,
          created: [],
          existing: [],
          problems: [],
          summary: 'no such table yet: skipped (set SEQUENCE_TABLES to choose the tables)',
        };
      }
    });
  }
  await runStep(report, io, 'Sequences file', async () => {
    const file = sequencesFile(env);
    const sequences = loadSequences(file);
    return {
      label: 'Sequences file',
      ok: true,
      created: [],
      existing: [],
      problems: [],
      summary: describe(file, sequences),
    };
  });
  return report;
}

const describe = (file: string, sequences: Map<string, unknown[]>) =>
  `${file}: ${[...sequences].map(([name, steps]) => `${name} (${steps.length} step${steps.length === 1 ? '' : 's'})`).join(', ')}`;

/** `baton doctor`: the sequences file parses, and every table has the fields. */
export async function checkSequenceSchema(
  services: SharedServices,
  env: NodeJS.ProcessEnv,
): Promise<DoctorCheck[]> {
  return [
    {
      label: 'Sequences file',
      run: async () => describe(sequencesFile(env), loadSequences(sequencesFile(env))),
    },
    ...sequenceTables(env).map((table) => ({
      label: `Airtable ${table.table} table (sequences)`,
      run: async () => {
        required(env, 'AIRTABLE_BASE_ID', "the base id (app…, from the base's URL)");
        try {
          return await checkAirtableFields(
            services.airtable(),
            table,
            SEQUENCE_AIRTABLE_FIELDS,
            SEQUENCE_USER_FIELDS,
          );
        } catch (err) {
          if (table.optional && err instanceof NotFoundError)
            return `no table '${table.table}' yet: nobody is enrolled from it`;
          throw err;
        }
      },
    })),
  ];
}

export const sequenceFactory: RecipeFactory = {
  name: 'sequence',
  configured: sequenceConfigured,
  problems: sequenceProblems,
  create: (environment) => buildSequence(environment),
  setup: sequenceSetup,
  schemaChecks: checkSequenceSchema,
};
