// Builds an Llm on OpenAI or Anthropic: structured output validated by zod, one corrective retry.
import type { z } from 'zod';
import type { AnthropicClient } from '../../connectors/anthropic/index.ts';
import type { OpenAIClient } from '../../connectors/openai/index.ts';
import { completeMessages } from './anthropic-transport.ts';
import { LlmOutputError } from './errors.ts';
import { outputSchema } from './output-schema.ts';
import { DEFAULT_PRICES, estimateCostUsd, type ModelPrice } from './prices.ts';
import { type Completion, type CompletionRequest, completeChat, completeResponses } from './transport.ts';
import type { Llm, LlmMessage, LlmPrompt, LlmResult, LlmUsage, ObjectOptions, TextOptions } from './types.ts';

interface CommonOptions {
  /** The model name without its provider, e.g. `gpt-4o-mini`, `llama3.1` (Ollama), `claude-sonnet-4-6`. */
  model: string;
  /** Prices keyed `provider:model` (a bare key means OpenAI), merged over the built-in estimates. */
  prices?: Record<string, ModelPrice>;
}

/** OpenAI, or any OpenAI-compatible server (Ollama, vLLM, llama.cpp). */
export interface OpenAILlmOptions extends CommonOptions {
  provider?: 'openai';
  client: OpenAIClient;
  /** 'chat' (default: every OpenAI-compatible server has it) or 'responses' (OpenAI's newer API). */
  api?: 'chat' | 'responses';
}

/** Claude, over Anthropic's Messages API. */
export interface AnthropicLlmOptions extends CommonOptions {
  provider: 'anthropic';
  client: AnthropicClient;
}

export type LlmOptions = OpenAILlmOptions | AnthropicLlmOptions;

/** An Llm for `model` behind `client`. Nothing is sent until a prompt is asked. */
export function createLlm(options: LlmOptions): Llm {
  const prices = { ...DEFAULT_PRICES, ...options.prices };
  const { provider, api, complete } = transportOf(options);
  const tally = (completions: Completion[]): LlmUsage => {
    const promptTokens = completions.reduce((sum, c) => sum + c.promptTokens, 0);
    const completionTokens = completions.reduce((sum, c) => sum + c.completionTokens, 0);
    const costUsd = estimateCostUsd(`${provider}:${options.model}`, promptTokens, completionTokens, prices);
    return {
      provider,
      model: options.model,
      promptTokens,
      completionTokens,
      totalTokens: promptTokens + completionTokens,
      ...(costUsd !== undefined ? { costUsd } : {}),
    };
  };

  return {
    provider,
    model: options.model,
    api,

    async object<S extends z.ZodType>(
      schema: S,
      prompt: LlmPrompt,
      opts: ObjectOptions = {},
    ): Promise<LlmResult<z.output<S>>> {
      const output = outputSchema(schema, opts.name);
      let messages = toMessages(prompt);
      const completions: Completion[] = [];
      const problems: string[] = [];
      for (let attempt = 1; attempt <= 2; attempt++) {
        const completion = await complete({
          model: options.model,
          messages,
          output,
          ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
          ...(opts.maxTokens !== undefined ? { maxTokens: opts.maxTokens } : {}),
        });
        completions.push(completion);
        const checked = readAnswer(schema, completion);
        if (checked.ok) return { value: checked.value, usage: tally(completions), attempts: attempt };
        problems.push(checked.problem);
        messages = [
          ...messages,
          { role: 'assistant', content: completion.text },
          {
            role: 'user',
            content: `Your previous answer could not be used: ${checked.problem}. Answer again with only a JSON object that matches the '${output.name}' schema exactly.`,
          },
        ];
      }
      throw new LlmOutputError(`'${output.name}'`, problems, tally(completions), hintFor(completions));
    },

    async text(prompt: LlmPrompt, opts: TextOptions = {}): Promise<LlmResult<string>> {
      const completion = await complete({
        model: options.model,
        messages: toMessages(prompt),
        ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
        ...(opts.maxTokens !== undefined ? { maxTokens: opts.maxTokens } : {}),
      });
      const problem =
        stopProblem(completion) ?? (completion.text.trim() === '' ? 'the answer was empty' : undefined);
      if (problem)
        throw new LlmOutputError('a text prompt', [problem], tally([completion]), hintFor([completion]));
      return { value: completion.text, usage: tally([completion]), attempts: 1 };
    },
  };
}

/** Which API a request goes over, for the options given. */
function transportOf(options: LlmOptions): {
  provider: Llm['provider'];
  api: Llm['api'];
  complete: (request: CompletionRequest) => Promise<Completion>;
} {
  if (options.provider === 'anthropic') {
    const client = options.client;
    return { provider: 'anthropic', api: 'messages', complete: (r) => completeMessages(client, r) };
  }
  const client = options.client;
  const api = options.api ?? 'chat';
  const complete = (r: CompletionRequest) =>
    api === 'responses' ? completeResponses(client, r) : completeChat(client, r);
  return { provider: 'openai', api, complete };
}

function toMessages(prompt: LlmPrompt): LlmMessage[] {
  if (Array.isArray(prompt)) return prompt;
  return [
    ...(prompt.system ? [{ role: 'system' as const, content: prompt.system }] : []),
    { role: 'user', content: prompt.user },
  ];
}

type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Parses and validates an answer; the problem is worded for both the model and the user. */
function readAnswer<S extends z.ZodType>(schema: S, completion: Completion): Checked<z.output<S>> {
  const stopped = stopProblem(completion);
  if (stopped) return { ok: false, problem: stopped };
  if (completion.text.trim() === '') return { ok: false, problem: 'the answer was empty' };
  let json: unknown;
  try {
    json = JSON.parse(completion.text);
  } catch (err) {
    return { ok: false, problem: `the answer is not valid JSON (${(err as Error).message})` };
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
  return { ok: false, problem: `the answer does not match the schema (${issues})` };
}

function stopProblem(completion: Completion): string | undefined {
  if (completion.refusal) return `the model refused ("${completion.refusal}")`;
  if (completion.stoppedBy === 'length') return 'the answer was cut off at the output token limit';
  if (completion.stoppedBy === 'content_filter') return 'the answer was withheld by the content filter';
  return undefined;
}

function hintFor(completions: Completion[]): string | undefined {
  if (completions.some((c) => c.stoppedBy === 'length'))
    return 'raise maxTokens for this prompt, or shorten the output';
  return undefined;
}
