// `baton doctor` checks of the model providers: each configured provider's key, and each role's model.
import { z } from 'zod';
import { NotFoundError } from '../../../connectors/core/index.ts';
import {
  formatModelSpec,
  type Llm,
  LlmEnvFields,
  LlmOutputError,
  type LlmRoles,
  llmRoles,
  type Provider,
  providersOf,
} from '../../llm/index.ts';
import type { DoctorCheck } from './doctor.ts';

/** What the checks need from the built recipe: a client per provider and the two role models. */
export interface LlmParts {
  openai?: { baseURL: string; listModels(): Promise<string[]> };
  anthropic?: { baseURL: string; listModels(): Promise<string[]> };
  llm: Llm;
  auditor: Llm;
}

const LABEL: Record<Provider, string> = { openai: 'OpenAI sign-in', anthropic: 'Anthropic sign-in' };
const KEY: Record<Provider, string> = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY' };

/**
 * One sign-in check per provider the model settings use, then a `Model` check (and an `Auditor
 * model` check when AUDITOR_MODEL names another model): the model is in the provider's list and
 * gives a one-token answer. Labels come from the environment, so they are known before anything is built.
 */
export function llmChecks(env: NodeJS.ProcessEnv, built: () => LlmParts): DoctorCheck[] {
  const parsed = z.object(LlmEnvFields).safeParse(env);
  const roles: LlmRoles = llmRoles(parsed.success ? parsed.data : {});
  const offered = new Map<Provider, Promise<string[]>>();
  const list = (provider: Provider) => {
    const client = built()[provider];
    if (!client) throw new Error(`no ${provider} client was built — set ${KEY[provider]}`);
    let models = offered.get(provider);
    if (!models) {
      models = client.listModels();
      offered.set(provider, models);
    }
    return { client, models };
  };
  const checks: DoctorCheck[] = providersOf(roles).map((provider) => ({
    label: LABEL[provider],
    run: async () => {
      const { client, models } = list(provider);
      return `${client.baseURL} accepted ${KEY[provider]} (${(await models).length} models offered)`;
    },
  }));
  const same = formatModelSpec(roles.writer) === formatModelSpec(roles.auditor);
  checks.push({
    label: 'Model',
    needs: LABEL[roles.writer.provider],
    run: () => checkModel(built().llm, list(roles.writer.provider), settingOf('writer', env)),
  });
  if (!same) {
    checks.push({
      label: 'Auditor model',
      needs: LABEL[roles.auditor.provider],
      run: () => checkModel(built().auditor, list(roles.auditor.provider), 'AUDITOR_MODEL'),
    });
  }
  return checks;
}

/** The variable a user edits to change a role's model. */
function settingOf(role: 'writer' | 'auditor', env: NodeJS.ProcessEnv): string {
  if (role === 'auditor') return 'AUDITOR_MODEL';
  return (env.LLM_MODEL ?? '').trim() === '' && (env.OPENAI_MODEL ?? '').trim() !== ''
    ? 'OPENAI_MODEL'
    : 'LLM_MODEL';
}

async function checkModel(
  llm: Llm,
  { client, models }: { client: { baseURL: string }; models: Promise<string[]> },
  setting: string,
): Promise<string> {
  const name = `${llm.provider}:${llm.model}`;
  const ids = await models;
  // Dated snapshots (gpt-4o-2024-08-06, claude-haiku-4-5-20251001) are served under their base id too.
  const base = llm.model.replace(/-\d{4}-\d{2}-\d{2}$/, '').replace(/-\d{8}$/, '');
  if (!ids.includes(llm.model) && !ids.includes(base)) {
    throw new Error(
      `model ${llm.model} not found at ${client.baseURL} (${ids.length} models offered) — check ${setting}`,
    );
  }
  try {
    const answer = await llm.text({ user: 'Reply with the single word: ok' }, { maxTokens: 1 });
    return `${name} answered (${answer.usage.totalTokens} tokens)`;
  } catch (err) {
    // Cut off at one token (as asked), refused or empty: the model is there and answering.
    if (err instanceof LlmOutputError) return `${name} answered (cut off at 1 token, as asked)`;
    if (err instanceof NotFoundError) throw new Error(`${err.message} — check ${setting}`);
    throw err;
  }
}
