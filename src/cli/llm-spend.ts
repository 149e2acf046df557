// The process's LLM spend ledger, as `baton start` and `baton run` open it from the environment.
import { join } from 'node:path';
import { SlackNotifier } from '../../connectors/slack/index.ts';
import { type Clock, systemClock } from '../clock.ts';
import { LlmEnvFields, LlmSpend, type SharedSpend, SPEND_FILE } from '../llm/index.ts';
import type { Logger } from '../log.ts';

/**
 * The ledger in `<dataDir>/llm-spend.json`, capped by BATON_LLM_DAILY_BUDGET, announcing a reached
 * budget on SLACK_WEBHOOK_URL when set. A malformed setting is left to the recipes' configuration
 * check, which names it; here it means no cap or no message.
 */
export function openLlmSpend(options: {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  clock?: Clock;
  /** Scale-out (BATON_REDIS_URL): the group's day total, so the budget caps every process together. */
  shared?: SharedSpend;
}): LlmSpend {
  const { env, log } = options;
  const budget = LlmEnvFields.BATON_LLM_DAILY_BUDGET.safeParse(env.BATON_LLM_DAILY_BUDGET).data;
  let slack: SlackNotifier | undefined;
  try {
    slack = env.SLACK_WEBHOOK_URL?.trim()
      ? new SlackNotifier({ webhookUrl: env.SLACK_WEBHOOK_URL, log })
      : undefined;
  } catch {
    slack = undefined;
  }
  return new LlmSpend({
    file: join(options.dataDir, SPEND_FILE),
    clock: options.clock ?? systemClock,
    log,
    ...(budget !== undefined ? { budgetUsd: budget } : {}),
    ...(options.shared ? { shared: options.shared } : {}),
    ...(slack ? { notify: async (text: string) => void (await slack.notify({ text })) } : {}),
  });
}
