// `baton doctor` checks of the pitch recipe's accounts: Google, Trello and model-provider sign-ins,
// the lead sheet's columns, the review board's lists, and a one-token answer from each model.
import { z } from 'zod';
import { NotFoundError } from '../../../connectors/core/index.ts';
import {
  explainRefusal,
  GOOGLE_SCOPES,
  GoogleSignInError,
  oauthErrorOf,
} from '../../../connectors/google/index.ts';
import { sheetsInstanceHome } from '../../../connectors/sheets/index.ts';
import { trelloInstanceHome } from '../../../connectors/trello/index.ts';
import type { RecipeEnvironment } from '../../../recipes/index.ts';
import {
  buildPitch,
  type PitchParts,
  type PitchTuning,
  pitchLists,
  pitchParts,
} from '../../../recipes/pitch/setup.ts';
import type { DoctorCheck } from './doctor.ts';
import { checkInstances } from './doctor-instances.ts';
import { llmChecks } from './doctor-llm.ts';

const REQUIRED_SCOPES = [GOOGLE_SCOPES.sheets, GOOGLE_SCOPES.gmail, GOOGLE_SCOPES.gmailRead];

/** The pitch recipe's checks, over clients built exactly as `baton start` builds them. */
export function pitchChecks(environment: RecipeEnvironment, tuning: PitchTuning): DoctorCheck[] {
  let parts: PitchParts | undefined;
  const built = () => {
    parts ??= pitchParts(buildPitch(environment, tuning));
    if (!parts) throw new Error('the pitch recipe could not be built');
    return parts;
  };
  const [signIns, models] = splitLlmChecks(llmChecks(environment.env, built));
  return [
    { label: 'Google sign-in', run: () => checkGoogle(built()) },
    { label: 'Trello sign-in', run: () => checkTrello(built()) },
    ...signIns,
    { label: 'Lead sheet', needs: 'Google sign-in', run: () => checkSheet(built()) },
    { label: 'Review board', needs: 'Trello sign-in', run: () => checkBoard(built()) },
    {
      label: 'Other Baton instances',
      needs: 'Lead sheet',
      run: () =>
        checkInstances(environment.env, [
          sheetsInstanceHome(built().sheets, built().env.PITCH_SHEET_ID),
          trelloInstanceHome(built().trello, built().env.TRELLO_BOARD_ID),
        ]),
    },
    ...models,
  ];
}

/** Sign-ins go with the other sign-ins, model answers last (they cost a few tokens). */
function splitLlmChecks(checks: DoctorCheck[]): [DoctorCheck[], DoctorCheck[]] {
  return [checks.filter((c) => !c.needs), checks.filter((c) => c.needs)];
}

const TokenAnswer = z.object({ scope: z.string().optional() });

async function checkGoogle({ auth, env }: PitchParts): Promise<string> {
  const serviceAccount = Boolean(env.GOOGLE_APPLICATION_CREDENTIALS);
  let answer: unknown;
  try {
    answer = (await auth.getAccessToken()).res?.data;
  } catch (err) {
    throw new Error(describeGoogleTokenError(err, serviceAccount));
  }
  const granted = TokenAnswer.safeParse(answer).data?.scope?.split(' ').filter(Boolean) ?? [];
  const missing = granted.length > 0 ? REQUIRED_SCOPES.filter((s) => !granted.includes(s)) : [];
  if (missing.length > 0) {
    throw new Error(
      `the Google sign-in lacks ${missing.map(shortScope).join(', ')} — run \`baton auth google\` again and leave every box ticked on the consent screen`,
    );
  }
  const who = serviceAccount
    ? `service account acting as ${env.GOOGLE_IMPERSONATE}`
    : 'refresh token (GOOGLE_REFRESH_TOKEN)';
  return `Google accepted the ${who}`;
}

/** Plain words for a failed token request: Baton's GoogleSignInError, or the SDK's error with Google's `error` code. */
export function describeGoogleTokenError(err: unknown, serviceAccount: boolean): string {
  if (err instanceof GoogleSignInError) return err.message;
  const refusal = oauthErrorOf(err);
  if (!refusal) {
    return `could not get a Google access token (${(err as Error)?.message ?? String(err)}) — check the network and the GOOGLE_* variables`;
  }
  const { message, hint } = explainRefusal(refusal, serviceAccount);
  return `${message} — ${hint}`;
}

async function checkTrello({ trello }: PitchParts): Promise<string> {
  const me = await trello.whoAmI();
  return `Trello accepted the key and token (acting as @${me.username})`;
}

async function checkSheet({ sheets, env }: PitchParts): Promise<string> {
  const tab = await sheets.tab(env.PITCH_SHEET_ID, env.PITCH_SHEET_TAB);
  const header =
    (await sheets.read(env.PITCH_SHEET_ID, `'${tab.title.replaceAll("'", "''")}'!1:1`)).values[0] ?? [];
  const names = header.map((h) => h.trim().toLowerCase());
  const has = (column: string) => names.includes(column.trim().toLowerCase());
  const required = [...new Set(['Name', 'Email', env.PITCH_KEY_COLUMN])];
  const missing = required.filter((c) => !has(c));
  if (missing.length > 0) {
    const found = header.filter((h) => h.trim() !== '');
    throw new Error(
      `tab '${tab.title}' has no ${missing.join(' or ')} column in row 1 (found: ${found.join(', ') || 'nothing'}) — add a header cell named ${missing.join(' and ')}`,
    );
  }
  const status = has('Status') ? 'and Status' : '(Baton adds a Status column on its first run)';
  return `tab '${tab.title}' has the columns ${required.join(', ')} ${status}`;
}

async function checkBoard({ trello, env }: PitchParts): Promise<string> {
  const lists = Object.values(pitchLists(env));
  const missing: string[] = [];
  for (const list of lists) {
    try {
      await trello.findLists(env.TRELLO_BOARD_ID, { list });
    } catch (err) {
      const aboutList = err instanceof NotFoundError && /Trello list/.test(err.message);
      if (!aboutList) throw err;
      missing.push(err.message);
    }
  }
  if (missing.length > 0) throw new Error(missing.join('; '));
  return `the board has the lists ${lists.map((l) => `'${l.name}'`).join(', ')}`;
}

function shortScope(scope: string): string {
  return scope.replace('https://www.googleapis.com/auth/', '');
}
