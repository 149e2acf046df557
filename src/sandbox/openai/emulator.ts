// Emulates the OpenAI API (chat completions, responses, models) around the offline sample model.
import { delay, HttpResponse, http } from 'msw';
import { Emulator, type EmulatorOptions, RateWindow } from '../kit/index.ts';
import { readTranscription, type Transcriber, transcriptionResponse, transcriptOf } from './audio.ts';
import { injectedError, maskKey, openaiError, QUOTA_MESSAGE, type RateLimitHints } from './errors.ts';
import {
  type ImageRequest,
  imagesResponse,
  MODERATION_MARKER,
  moderationBlocked,
  readImageRequest,
} from './images.ts';
import { servedMediaModels } from './media-models.ts';
import { DEFAULT_MODELS, isKnownModel, modelObject } from './models.ts';
import { chatCompletion, limitReply, type ModelReply, responseObject } from './replies.ts';
import { readChatRequest, readResponsesRequest } from './requests.ts';
import { type ModelMessage, type ModelRequest, sampleAnswer } from './sample-model.ts';
import { isScripted } from './scripted.ts';

export interface OpenAIEmulatorOptions extends EmulatorOptions {
  /** Keys the API accepts; by default any non-empty `sk-…` key. */
  apiKeys?: string[];
  /** Requests per minute per key for chat and responses (default 10,000). */
  requestsPerMinute?: number;
  /** Simulated model latency added to every answer, in real milliseconds (default 0). */
  latencyMs?: number;
  /** Where the API lives (default `https://api.openai.com/v1`); point it at e.g. `http://localhost:11434/v1`. */
  baseUrl?: string;
  /** Model ids served (dated snapshots of them too); others get 404 `model_not_found`. */
  models?: string[];
  /** What a 429 `rate_limit_exceeded` tells the client about when to retry (default `reset-headers`). */
  rateLimitHints?: RateLimitHints;
}

/** What the model was asked: one entry per request it answered. */
export interface OpenAICall {
  api: 'chat' | 'responses';
  model: string;
  messages: ModelMessage[];
  /** `text`, `json_object` or `json_schema`. */
  format: ModelRequest['format']['kind'];
  schemaName?: string;
  schema?: unknown;
  temperature?: number;
  maxOutputTokens?: number;
}

/** A transcription the emulator answered. */
export interface TranscriptionCall {
  model: string;
  filename: string;
  bytes: number;
  text: string;
}

/** An image request the emulator answered (or refused for moderation: `blocked`). */
export interface ImageCall extends ImageRequest {
  blocked: boolean;
}

/**
 * Scripts the model: return a value to answer with (an object is sent as JSON, a string verbatim,
 * `scriptedRefusal`/`scriptedCutOff` for those outcomes), or undefined to let the sample model answer.
 */
export type OpenAIResponder = (call: OpenAICall) => unknown;

const MINUTE = 60_000;
const DEFAULT_BASE = 'https://api.openai.com/v1';

/**
 * The OpenAI API as msw handlers, answered by a deterministic offline model that writes clearly
 * labelled sample output (see README.md). Checks the Bearer key (401 `invalid_api_key`, key masked),
 * enforces a per-key requests-per-minute window (429 `rate_limit_exceeded` with the `x-ratelimit-*`
 * headers, and `retry-after(-ms)` only when `rateLimitHints` says so), can run out of quota (429 `insufficient_quota`), validates request
 * bodies and strict schemas (400) and model ids (404), and honours output token limits (`length`).
 */
export class OpenAIEmulator extends Emulator {
  readonly baseUrl: string;
  readonly calls: OpenAICall[] = [];
  /** Transcriptions answered, in order. */
  readonly transcriptions: TranscriptionCall[] = [];
  /** Image generations asked for (answered or blocked), in order. */
  readonly images: ImageCall[] = [];
  readonly #apiKeys: string[] | undefined;
  readonly #models: string[];
  /** What `GET /models` lists: the text models, plus the audio and image models on OpenAI's own list. */
  readonly #listed: () => string[];
  readonly #window: RateWindow;
  readonly #recent = new Map<string, number[]>();
  readonly #latencyMs: number;
  /** What 429s carry; can be changed while running. */
  rateLimitHints: RateLimitHints;
  readonly #defaultHints: RateLimitHints;
  #responder: OpenAIResponder | undefined;
  #transcriber: Transcriber | undefined;
  #blocks: ((prompt: string) => boolean) | undefined;
  #quotaExhausted = false;
  #seq = 0;

  constructor(options: OpenAIEmulatorOptions = {}) {
    super(options);
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE).replace(/\/+$/, '');
    this.#apiKeys = options.apiKeys;
    this.#models = options.models ?? [...DEFAULT_MODELS];
    this.#listed = () =>
      options.models ? this.#models : [...this.#models, ...servedMediaModels(this.clock.now())];
    this.#window = new RateWindow(this.clock, options.requestsPerMinute ?? 10_000, MINUTE);
    this.#latencyMs = options.latencyMs ?? 0;
    this.#defaultHints = options.rateLimitHints ?? 'reset-headers';
    this.rateLimitHints = this.#defaultHints;
  }

  /** The per-key request limit per minute; can be changed while running. */
  get requestsPerMinute(): number {
    return this.#window.limit;
  }

  set requestsPerMinute(limit: number) {
    this.#window.limit = limit;
  }

  /** Scripts answers (see OpenAIResponder); call with no argument to go back to the sample model. */
  respondWith(responder?: OpenAIResponder): this {
    this.#responder = responder;
    return this;
  }

  /**
   * Scripts transcripts (see README: by default a `[[say:…]]` marker in the audio, else a labelled
   * description); call with no argument to go back to the default.
   */
  transcribeWith(transcriber?: Transcriber): this {
    this.#transcriber = transcriber;
    return this;
  }

  /** Image prompts the safety system refuses besides those containing MODERATION_MARKER. */
  blockImagesWhen(predicate?: (prompt: string) => boolean): this {
    this.#blocks = predicate;
    return this;
  }

  /** From now on every model request fails with 429 `insufficient_quota`, until `restoreQuota`. */
  exhaustQuota(): this {
    this.#quotaExhausted = true;
    return this;
  }

  restoreQuota(): this {
    this.#quotaExhausted = false;
    return this;
  }

  /** Forgets calls, scripts, quota state, rate windows, 429 hints, faults and the request log. */
  reset(): void {
    this.rateLimitHints = this.#defaultHints;
    this.calls.length = 0;
    this.transcriptions.length = 0;
    this.images.length = 0;
    this.#responder = undefined;
    this.#transcriber = undefined;
    this.#blocks = undefined;
    this.#quotaExhausted = false;
    this.#window.reset();
    this.#recent.clear();
    this.faults.clear();
    this.requests.clear();
  }

  handlers() {
    const base = this.baseUrl;
    return [
      http.post(`${base}/chat/completions`, ({ request }) =>
        this.serve(request, () => this.#generate(request, readChatRequest, chatCompletion)),
      ),
      http.post(`${base}/responses`, ({ request }) =>
        this.serve(request, () => this.#generate(request, readResponsesRequest, responseObject)),
      ),
      http.post(`${base}/audio/transcriptions`, ({ request }) =>
        this.serve(request, () => this.#transcribe(request)),
      ),
      http.post(`${base}/images/generations`, ({ request }) =>
        this.serve(request, () => this.#generateImage(request)),
      ),
      http.get(`${base}/models`, ({ request }) =>
        this.serve(request, () => {
          this.#authorize(request);
          return HttpResponse.json({ object: 'list', data: this.#listed().map(modelObject) });
        }),
      ),
      http.get(`${base}/models/:model`, ({ request, params }) =>
        this.serve(request, () => {
          this.#authorize(request);
          const id = String(params.model);
          if (!isKnownModel(this.#listed(), id)) throw modelNotFound(id);
          return HttpResponse.json(modelObject(id));
        }),
      ),
    ];
  }

  protected errorResponse(status: number, _message: string, headers?: Record<string, string>): Response {
    return injectedError(status, this.rateLimitHints, headers);
  }

  async #generate(
    request: Request,
    read: (body: unknown) => ModelRequest,
    render: (id: string, createdSec: number, request: ModelRequest, reply: ModelReply) => object,
  ): Promise<Response> {
    const key = this.#authorize(request);
    if (this.#quotaExhausted) {
      throw openaiError(429, {
        message: QUOTA_MESSAGE,
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      });
    }
    const body: unknown = await request.json().catch(() => undefined);
    const modelRequest = read(body);
    if (!isKnownModel(this.#models, modelRequest.model)) throw modelNotFound(modelRequest.model);
    if (!this.#window.take(key)) throw this.#rateLimited(key, modelRequest.model);
    this.#note(key);
    if (this.#latencyMs > 0) await delay(this.#latencyMs);
    const call = toCall(modelRequest);
    this.calls.push(call);
    const reply = limitReply(this.#answer(modelRequest, call), modelRequest.maxOutputTokens);
    const id = `emu${String(++this.#seq).padStart(6, '0')}`;
    const payload = render(id, Math.floor(this.clock.now() / 1000), modelRequest, reply);
    return HttpResponse.json(payload, {
      headers: { 'x-request-id': `req_${id}`, ...this.#limitHeaders(key) },
    });
  }

  async #transcribe(request: Request): Promise<Response> {
    const key = this.#admit(request);
    const upload = await readTranscription(request, this.clock.now());
    if (!this.#window.take(key)) throw this.#rateLimited(key, upload.model);
    this.#note(key);
    if (this.#latencyMs > 0) await delay(this.#latencyMs);
    const text = transcriptOf(upload, this.#transcriber);
    this.transcriptions.push({
      model: upload.model,
      filename: upload.filename,
      bytes: upload.bytes.length,
      text,
    });
    const id = `emu${String(++this.#seq).padStart(6, '0')}`;
    return transcriptionResponse(upload, text, `req_${id}`);
  }

  async #generateImage(request: Request): Promise<Response> {
    const key = this.#admit(request);
    const image = await readImageRequest(request);
    if (!this.#window.take(key)) throw this.#rateLimited(key, image.model);
    this.#note(key);
    if (this.#latencyMs > 0) await delay(this.#latencyMs);
    const blocked = image.prompt.includes(MODERATION_MARKER) || this.#blocks?.(image.prompt) === true;
    this.images.push({ ...image, blocked });
    if (blocked) return moderationBlocked();
    const id = `emu${String(++this.#seq).padStart(6, '0')}`;
    return imagesResponse(image, Math.floor(this.clock.now() / 1000), `req_${id}`);
  }

  /** The caller's key, once the key and the account's quota allow a request. */
  #admit(request: Request): string {
    const key = this.#authorize(request);
    if (this.#quotaExhausted) {
      throw openaiError(429, {
        message: QUOTA_MESSAGE,
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      });
    }
    return key;
  }

  #answer(request: ModelRequest, call: OpenAICall): ModelReply {
    const scripted = this.#responder?.(call);
    if (scripted === undefined) return { text: sampleAnswer(request), truncated: false };
    if (isScripted(scripted)) return scripted.reply;
    return { text: typeof scripted === 'string' ? scripted : JSON.stringify(scripted), truncated: false };
  }

  /** The caller's key. @throws Response 401 when it is missing or not accepted. */
  #authorize(request: Request): string {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '');
    if (!match) {
      throw openaiError(401, {
        message:
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from https://platform.openai.com/account/api-keys.",
      });
    }
    const key = match[1]!;
    const accepted = this.#apiKeys ? this.#apiKeys.includes(key) : /^sk-\S+$/.test(key);
    if (!accepted) {
      throw openaiError(401, {
        message: `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
        code: 'invalid_api_key',
      });
    }
    return key;
  }

  #rateLimited(key: string, model: string): Response {
    const waitMs = Math.max(1, this.#window.retryAfterMs(key));
    const limit = this.#window.limit;
    return openaiError(
      429,
      {
        message: `Rate limit reached for ${model} in organization org-sandbox on requests per min (RPM): Limit ${limit}, Used ${limit}, Requested 1. Please try again in ${duration(waitMs)}. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        type: 'requests',
        code: 'rate_limit_exceeded',
      },
      {
        ...(this.rateLimitHints === 'retry-after'
          ? { 'retry-after': String(Math.ceil(waitMs / 1000)), 'retry-after-ms': String(waitMs) }
          : {}),
        ...(this.rateLimitHints === 'none' ? {} : this.#limitHeaders(key)),
      },
    );
  }

  /** Keeps the timestamps behind the `x-ratelimit-remaining-requests` header. */
  #note(key: string): void {
    const now = this.clock.now();
    this.#recent.set(key, [...(this.#recent.get(key) ?? []).filter((t) => t > now - MINUTE), now]);
  }

  #limitHeaders(key: string): Record<string, string> {
    const now = this.clock.now();
    const recent = (this.#recent.get(key) ?? []).filter((t) => t > now - MINUTE);
    const limit = this.#window.limit;
    const resetMs = recent.length > 0 ? recent[0]! + MINUTE - now : 0;
    return {
      'x-ratelimit-limit-requests': String(limit),
      'x-ratelimit-remaining-requests': String(Math.max(0, limit - recent.length)),
      'x-ratelimit-reset-requests': duration(resetMs),
    };
  }
}

function toCall(request: ModelRequest): OpenAICall {
  const format = request.format;
  return {
    api: request.api,
    model: request.model,
    messages: request.messages,
    format: format.kind,
    ...(format.kind === 'json_schema' ? { schemaName: format.name, schema: format.schema } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}),
  };
}

function modelNotFound(model: string): Response {
  return openaiError(404, {
    message: `The model \`${model}\` does not exist or you do not have access to it.`,
    code: 'model_not_found',
  });
}

/** Durations the way OpenAI's headers and messages print them: `120ms`, `1.5s`, `1m0s`. */
function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${Math.round(seconds * 1000) / 1000}s`;
  return `${Math.floor(seconds / 60)}m${Math.round(seconds % 60)}s`;
}
