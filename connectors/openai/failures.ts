// How OpenAI failures are classified (retry or not) and explained to the user.
import {
  AuthError,
  classifyByStatus,
  type FailureClass,
  NotFoundError,
  ServiceError,
  statusOf,
} from '../core/index.ts';
import { retryAfterOf } from './rate-limit.ts';
import { isApiError, openaiSdk } from './sdk.ts';

const SERVICE = 'openai';

/** True for 429 `insufficient_quota`: the account has no credit, so waiting does not help. */
export function isQuotaError(err: unknown): boolean {
  if (!isApiError(err)) return false;
  return err.status === 429 && (err.code === 'insufficient_quota' || err.type === 'insufficient_quota');
}

/**
 * 429 `rate_limit_exceeded` → rate-limited, waiting for the server's hint (see `retryAfterOf`) or, with
 * none, `unhintedDelayMs`; 429 `insufficient_quota` → fatal; 408/409/5xx, timeouts and connection
 * errors → transient; everything else (400, 401, 403, 404) → fatal.
 */
export function classifyOpenAIError(err: unknown, unhintedDelayMs?: number): FailureClass {
  if (err instanceof openaiSdk().APIConnectionError) return { kind: 'transient' };
  const status = statusOf(err);
  if (status === 429) {
    if (isQuotaError(err)) return { kind: 'fatal', status };
    const retryAfterMs = retryAfterOf(err) ?? unhintedDelayMs;
    return { kind: 'rate-limited', status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  if (status === 409) return { kind: 'transient', status };
  return classifyByStatus(err);
}

export interface FailureContext {
  baseURL: string;
  timeoutMs: number;
  /** The model the failed request named, when it named one. */
  model?: string;
  /** The setting that chose the model (default OPENAI_MODEL). */
  modelSetting?: string;
}

/** The final error for a failed OpenAI request, with what the user should do. Never contains the API key. */
export function describeOpenAIError(err: unknown, operation: string, context: FailureContext): ServiceError {
  const where = serverLabel(context.baseURL);
  const { APIConnectionError, APIConnectionTimeoutError } = openaiSdk();
  if (err instanceof APIConnectionTimeoutError) {
    return new ServiceError(SERVICE, `${operation} timed out after ${context.timeoutMs} ms at ${where}`, {
      retryable: true,
      hint: 'the model was slow to answer; Baton retries later (raise the timeout or use a faster OPENAI_MODEL)',
      cause: err,
    });
  }
  if (err instanceof APIConnectionError) {
    return new ServiceError(SERVICE, `could not reach ${where} for ${operation}`, {
      retryable: true,
      hint: 'check the network and OPENAI_BASE_URL',
      cause: err,
    });
  }
  const status = statusOf(err);
  const detail = apiMessage(err);
  if (isQuotaError(err)) {
    return new ServiceError(SERVICE, 'OpenAI says the account is out of quota', {
      status,
      retryable: false,
      hint: 'add credits or change OPENAI_API_KEY',
      cause: err,
    });
  }
  // The 401 body echoes part of the key; it is left out of the message on purpose.
  if (status === 401) {
    return new AuthError(SERVICE, `${where} rejected the API key (401)`, {
      status,
      hint: 'check OPENAI_API_KEY',
      cause: err,
    });
  }
  if (status === 403) {
    return new AuthError(SERVICE, `${where} refused ${operation} (403): ${detail}`, {
      status,
      hint: 'check that the project behind OPENAI_API_KEY may use this model and endpoint',
      cause: err,
    });
  }
  if (status === 404) {
    const aboutModel = (isApiError(err) && err.code === 'model_not_found') || /model/i.test(detail);
    if (aboutModel && context.model) {
      const setting = context.modelSetting ?? 'OPENAI_MODEL';
      // OpenAI answers 404 "has been deprecated" for a model it has shut down.
      const retired = /deprecated/i.test(detail);
      return new NotFoundError(
        SERVICE,
        retired
          ? `model ${context.model} has been retired by ${where}`
          : `model ${context.model} not found at ${where}`,
        {
          status,
          hint: retired ? `set ${setting} to a current model` : `check ${setting}`,
          cause: err,
        },
      );
    }
    return new NotFoundError(SERVICE, `${operation} is not served at ${context.baseURL} (404)`, {
      status,
      hint: "check OPENAI_BASE_URL (it usually ends in /v1); servers without the Responses API need the 'chat' API",
      cause: err,
    });
  }
  if (status === 413) {
    return new ServiceError(SERVICE, `${where} refused ${operation}: the upload is too large (413)`, {
      status,
      retryable: false,
      hint: 'OpenAI takes at most 25 MiB per file; send smaller pieces',
      cause: err,
    });
  }
  if (status === 400 || status === 422) {
    return new ServiceError(SERVICE, `${where} rejected the ${operation} request (${status}): ${detail}`, {
      status,
      retryable: false,
      cause: err,
    });
  }
  if (status === 429) {
    return new ServiceError(SERVICE, `${where} kept rate-limiting ${operation}`, {
      status,
      retryable: true,
      hint: 'Baton retries later; lower the request rate or raise your OpenAI usage tier',
      cause: err,
    });
  }
  if (status !== undefined && (status >= 500 || status === 408 || status === 409)) {
    return new ServiceError(SERVICE, `${where} answered ${status} to ${operation}: ${detail}`, {
      status,
      retryable: true,
      hint: 'a problem on the server side; Baton retries later',
      cause: err,
    });
  }
  return new ServiceError(SERVICE, `${operation} failed: ${detail}`, {
    ...(status !== undefined ? { status } : {}),
    retryable: false,
    cause: err,
  });
}

function apiMessage(err: unknown): string {
  if (isApiError(err)) {
    const body = err.error as { message?: unknown } | undefined;
    if (body && typeof body.message === 'string') return body.message;
  }
  return err instanceof Error ? err.message : String(err);
}

/** "OpenAI" for api.openai.com, otherwise the server's origin (Ollama, vLLM…). */
function serverLabel(baseURL: string): string {
  try {
    const url = new URL(baseURL);
    return url.hostname === 'api.openai.com' ? 'OpenAI' : url.origin;
  } catch {
    return 'the OpenAI server';
  }
}
