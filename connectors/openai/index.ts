// OpenAI (or any OpenAI-compatible server): the shared client and how its failures are treated.
export { OPENAI_BASE_URL, OpenAIClient, type OpenAIClientOptions } from './client.ts';
export {
  classifyOpenAIError,
  describeOpenAIError,
  type FailureContext,
  isQuotaError,
} from './failures.ts';
export { parseDuration, retryAfterOf, unhintedRateLimitDelay } from './rate-limit.ts';
