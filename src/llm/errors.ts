// Errors of the LLM layer: an unusable answer, a zod schema strict structured output can't express,
// and the day's budget spent.
import { ServiceError } from '../../connectors/core/index.ts';
import { SuspendUntilError } from '../engine/errors.ts';
import { formatUsd } from './spend-file.ts';
import type { LlmUsage } from './types.ts';

/**
 * The model's answer could not be used, even after one retry (or at once, for text). Not retryable:
 * the same prompt would most likely fail the same way. Carries what was wrong with each attempt and
 * the tokens spent; the message quotes validation problems, never prompts or keys.
 */
export class LlmOutputError extends ServiceError {
  override readonly name = 'LlmOutputError';
  readonly problems: string[];
  readonly usage: LlmUsage;

  constructor(what: string, problems: string[], usage: LlmUsage, hint?: string) {
    const summary =
      problems.length > 1
        ? problems.map((p, i) => `attempt ${i + 1}: ${p}`).join('; ')
        : (problems[0] ?? 'unknown problem');
    super('llm', `${usage.provider}:${usage.model} gave an unusable answer for ${what}: ${summary}`, {
      retryable: false,
      hint: hint ?? 'check the prompt and the schema, or try a stronger model in LLM_MODEL or AUDITOR_MODEL',
    });
    this.problems = problems;
    this.usage = usage;
  }
}

/** A zod schema that cannot be sent as a strict JSON schema: a programming error in the recipe. */
export class LlmSchemaError extends Error {
  override readonly name = 'LlmSchemaError';
}

/**
 * The day's BATON_LLM_DAILY_BUDGET is spent: no model call is made. Inside a step, the engine
 * pauses the run until `resumeAt` (the next 00:00 UTC) without counting a failed attempt.
 */
export class LlmBudgetReachedError extends SuspendUntilError {
  override readonly name = 'LlmBudgetReachedError';
  readonly spentUsd: number;
  readonly budgetUsd: number;
  readonly resumeAt: number;

  constructor(spentUsd: number, budgetUsd: number, resumeAt: number) {
    super(`LLM budget reached: ${formatUsd(spentUsd)} of ${formatUsd(budgetUsd)} today`, resumeAt, {
      hint: 'model steps resume at 00:00 UTC; raise BATON_LLM_DAILY_BUDGET to allow more',
    });
    this.spentUsd = spentUsd;
    this.budgetUsd = budgetUsd;
    this.resumeAt = resumeAt;
  }
}
