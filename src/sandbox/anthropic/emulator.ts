// Emulates the Claude API (Messages and Models) around the offline sample model shared with OpenAI's emulator.
import { delay, HttpResponse, http } from 'msw';
import { Emulator, type EmulatorOptions, RateWindow } from '../kit/index.ts';
import { limitReply, type ModelReply } from '../openai/replies.ts';
import { sampleAnswer } from '../openai/sample-model.ts';
import { isScripted } from '../openai/scripted.ts';
import { anthropicError, injectedError, invalidRequest, requestId } from './errors.ts';
import { claudeModelInfo, DEFAULT_CLAUDE_MODELS, isKnownClaudeModel } from './models.ts';
import { messageObject } from './replies.ts';
import { type MessagesRequest, readMessagesRequest } from './requests.ts';

export interface AnthropicEmulatorOptions extends EmulatorOptions {
  /** Keys the API accepts; by default any non-empty `sk-ant-…` key. */
  apiKeys?: string[];
  /** Requests per minute per key (default 10,000). */
  requestsPerMinute?: number;
  /** Simulated model latency added to every answer, in real milliseconds (default 0). */
  latencyMs?: number;
  /** Where the API lives (default `https://api.anthropic.com`, without `/v1`). */
  baseUrl?: string;
  /** Model ids served (dated `-YYYYMMDD` snapshots of them too); others get 404 `not_found_error`. */
  models?: string[];
}

/** What the model was asked: one entry per Messages request it answered. */
export interface AnthropicCall {
  model: string;
  /** The system prompt (role `system`) first, then the turns. */
  messages: { role: string; content: string }[];
  format: 'text' | 'json_schema';
  schema?: unknown;
  maxTokens: number;
  temperature?: number;
}

/** Scripts the model, as `OpenAIEmulator.respondWith` does (scriptedRefusal/scriptedCutOff work here too). */
export type AnthropicResponder = (call: AnthropicCall) => unknown;

const MINUTE = 60_000;
const DEFAULT_BASE = 'https://api.anthropic.com';

/**
 * The Claude API as msw handlers, answered by the same deterministic offline model as the OpenAI
 * emulator. Requires a key (`x-api-key`, the documented header, or `Authorization: Bearer`, which
 * @anthropic-ai/sdk 1.x sends) and the `anthropic-version` header (400 without it), enforces a
 * per-key requests-per-minute window (429 `rate_limit_error` with `retry-after` and
 * `anthropic-ratelimit-requests-*` headers), can hit the spend limit (429 without `retry-after`),
 * answers 529 `overloaded_error` when told to (`faults.failNext(n, 529)` or `overload(ms)`), checks
 * request bodies and JSON schemas (400) and model ids (404).
 */
export class AnthropicEmulator extends Emulator {
  readonly baseUrl: string;
  readonly calls: AnthropicCall[] = [];
  readonly #apiKeys: string[] | undefined;
  readonly #models: string[];
  readonly #window: RateWindow;
  readonly #latencyMs: number;
  /** Request times per key, behind the `anthropic-ratelimit-requests-remaining` header. */
  readonly #recent = new Map<string, number[]>();
  #responder: AnthropicResponder | undefined;
  #spendLimitReached = false;
  #seq = 0;

  constructor(options: AnthropicEmulatorOptions = {}) {
    super(options);
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE).replace(/\/+$/, '');
    this.#apiKeys = options.apiKeys;
    this.#models = options.models ?? [...DEFAULT_CLAUDE_MODELS];
    this.#window = new RateWindow(this.clock, options.requestsPerMinute ?? 10_000, MINUTE);
    this.#latencyMs = options.latencyMs ?? 0;
  }

  get requestsPerMinute(): number {
    return this.#window.limit;
  }

  set requestsPerMinute(limit: number) {
    this.#window.limit = limit;
  }

  /** Scripts answers (see AnthropicResponder); call with no argument to go back to the sample model. */
  respondWith(responder?: AnthropicResponder): this {
    this.#responder = responder;
    return this;
  }

  /** Every Messages request answers 529 `overloaded_error` for the next `ms` of the emulator's clock. */
  overload(ms: number): this {
    this.faults.failFor(ms, 529, { match: /\/v1\/messages/ });
    return this;
  }

  /** From now on Messages requests fail with the spend-limit 429, until `restoreSpendLimit`. */
  reachSpendLimit(): this {
    this.#spendLimitReached = true;
    return this;
  }

  restoreSpendLimit(): this {
    this.#spendLimitReached = false;
    return this;
  }

  /** Forgets calls, scripts, limits, faults and the request log. */
  reset(): void {
    this.calls.length = 0;
    this.#responder = undefined;
    this.#spendLimitReached = false;
    this.#window.reset();
    this.#recent.clear();
    this.faults.clear();
    this.requests.clear();
  }

  handlers() {
    const base = this.baseUrl;
    return [
      http.post(`${base}/v1/messages`, ({ request }) => this.serve(request, () => this.#messages(request))),
      http.get(`${base}/v1/models`, ({ request }) =>
        this.serve(request, () => {
          this.#check(request);
          const data = this.#models.map(claudeModelInfo);
          return HttpResponse.json(
            { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null },
            { headers: { 'request-id': requestId() } },
          );
        }),
      ),
      http.get(`${base}/v1/models/:model`, ({ request, params }) =>
        this.serve(request, () => {
          this.#check(request);
          const id = String(params.model);
          if (!isKnownClaudeModel(this.#models, id)) throw modelNotFound(id);
          return HttpResponse.json(claudeModelInfo(id), { headers: { 'request-id': requestId() } });
        }),
      ),
    ];
  }

  protected errorResponse(status: number, _message: string, headers?: Record<string, string>): Response {
    return injectedError(status, headers);
  }

  async #messages(request: Request): Promise<Response> {
    const key = this.#check(request);
    const body: unknown = await request.json().catch(() => undefined);
    if (body === undefined) throw invalidRequest('There was an issue with your request body: invalid JSON.');
    const messagesRequest = readMessagesRequest(body);
    if (!isKnownClaudeModel(this.#models, messagesRequest.model)) throw modelNotFound(messagesRequest.model);
    if (this.#spendLimitReached) {
      throw anthropicError(
        429,
        'rate_limit_error',
        'You have reached your specified API usage limits. You will regain access on the first day of next month at 00:00 UTC.',
        { details: { error_code: 'enforced_spend_limit_reached' } },
      );
    }
    if (!this.#window.take(key)) throw this.#rateLimited(key);
    const now = this.clock.now();
    this.#recent.set(key, [...(this.#recent.get(key) ?? []).filter((t) => t > now - MINUTE), now]);
    if (this.#latencyMs > 0) await delay(this.#latencyMs);
    const call = toCall(messagesRequest);
    this.calls.push(call);
    const reply = limitReply(this.#answer(messagesRequest, call), messagesRequest.maxTokens);
    const id = `emu${String(++this.#seq).padStart(6, '0')}`;
    return HttpResponse.json(messageObject(id, messagesRequest, reply), {
      headers: { 'request-id': requestId(), ...this.#limitHeaders(key) },
    });
  }

  #answer(request: MessagesRequest, call: AnthropicCall): ModelReply {
    const scripted = this.#responder?.(call);
    if (scripted === undefined) return { text: sampleAnswer(request), truncated: false };
    if (isScripted(scripted)) return scripted.reply;
    return { text: typeof scripted === 'string' ? scripted : JSON.stringify(scripted), truncated: false };
  }

  /** The caller's key, after the version header. @throws Response 400/401. */
  #check(request: Request): string {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    const key = request.headers.get('x-api-key') ?? bearer;
    if (!key) throw anthropicError(401, 'authentication_error', 'x-api-key header is required');
    const accepted = this.#apiKeys ? this.#apiKeys.includes(key) : /^sk-ant-\S+$/.test(key);
    if (!accepted) throw anthropicError(401, 'authentication_error', 'invalid x-api-key');
    if (!request.headers.get('anthropic-version'))
      throw invalidRequest('anthropic-version: header is required');
    return key;
  }

  #rateLimited(key: string): Response {
    const waitMs = Math.max(1, this.#window.retryAfterMs(key));
    return anthropicError(
      429,
      'rate_limit_error',
      `This request would exceed the rate limit for your organization of ${this.#window.limit} requests per minute. Please try again later.`,
      { headers: { 'retry-after': String(Math.ceil(waitMs / 1000)), ...this.#limitHeaders(key) } },
    );
  }

  /** The `anthropic-ratelimit-requests-*` headers (platform.claude.com/docs/en/api/rate-limits). */
  #limitHeaders(key: string): Record<string, string> {
    const now = this.clock.now();
    const recent = (this.#recent.get(key) ?? []).filter((t) => t > now - MINUTE);
    const limit = this.#window.limit;
    const resetAt = recent.length > 0 ? recent[0]! + MINUTE : now;
    return {
      'anthropic-ratelimit-requests-limit': String(limit),
      'anthropic-ratelimit-requests-remaining': String(Math.max(0, limit - recent.length)),
      'anthropic-ratelimit-requests-reset': new Date(resetAt).toISOString(),
    };
  }
}

function toCall(request: MessagesRequest): AnthropicCall {
  const format = request.format;
  return {
    model: request.model,
    messages: request.messages,
    format: format.kind === 'json_schema' ? 'json_schema' : 'text',
    ...(format.kind === 'json_schema' ? { schema: format.schema } : {}),
    maxTokens: request.maxTokens,
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
}

function modelNotFound(model: string): Response {
  return anthropicError(404, 'not_found_error', `model: ${model}`);
}
