// One model call inside a step, for every recipe: the answer is checked against its zod schema by
// the model client, and the call's tokens and estimated cost go into the run's journal.
import type { z } from 'zod';
import type { StepContext } from '../../src/engine/index.ts';
import type { Llm, LlmPrompt } from '../../src/llm/index.ts';

/** `ask(step, schema, prompt, name, model?)`, with `llm` as the model unless another is given. */
export function modelAsker(llm: Llm) {
  return async <S extends z.ZodType>(
    step: StepContext,
    schema: S,
    prompt: LlmPrompt,
    name: string,
    model: Llm = llm,
  ) => {
    const result = await model.object(schema, prompt, { name });
    step.annotate({ usage: result.usage });
    return result.value;
  };
}
