// Errors of the LLM layer: an unusable answer, and a zod schema strict structured output can't express.
import { ServiceError } from '../../connectors/core/index.ts';
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
