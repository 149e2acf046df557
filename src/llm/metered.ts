// An Llm whose calls count against the process's LLM spend: the budget is checked before each
// call and the tokens are recorded after, for every recipe, without the recipe doing anything.
import type { z } from 'zod';
import { LlmOutputError } from './errors.ts';
import type { LlmSpend } from './spend.ts';
import type { Llm, LlmPrompt, LlmResult, ObjectOptions, TextOptions } from './types.ts';

/**
 * `llm`, counted in `spend` under `recipe`. An unusable answer's tokens are counted too (they were
 * billed). A request that fails outright (outage, quota) counts nothing: its usage is unknown.
 * @throws LlmBudgetReachedError (a SuspendUntilError: the step pauses until 00:00 UTC) before
 *   calling when today's budget is spent.
 */
export function meteredLlm(llm: Llm, spend: LlmSpend, recipe: string): Llm {
  const counted = async <T>(call: () => Promise<LlmResult<T>>): Promise<LlmResult<T>> => {
    await spend.checkBudget();
    try {
      const result = await call();
      await spend.record(recipe, result.usage);
      return result;
    } catch (err) {
      if (err instanceof LlmOutputError) await spend.record(recipe, err.usage);
      throw err;
    }
  };
  return {
    provider: llm.provider,
    model: llm.model,
    api: llm.api,
    object: <S extends z.ZodType>(schema: S, prompt: LlmPrompt, options?: ObjectOptions) =>
      counted(() => llm.object(schema, prompt, options)),
    text: (prompt: LlmPrompt, options?: TextOptions) => counted(() => llm.text(prompt, options)),
  };
}
