// OpenAI (or any OpenAI-compatible server): the shared client, how its failures are treated, speech to text and images.
export { type ModelContext, OPENAI_BASE_URL, OpenAIClient, type OpenAIClientOptions } from './client.ts';
export {
  classifyOpenAIError,
  describeOpenAIError,
  type FailureContext,
  isQuotaError,
} from './failures.ts';
export {
  DEFAULT_IMAGE_MODEL,
  DEFAULT_IMAGE_SIZE,
  generateImage,
  IMAGE_SIZES,
  type ImageOptions,
  type ImageSize,
  isImageSize,
  ModerationBlockedError,
} from './images.ts';
export { parseDuration, retryAfterOf, unhintedRateLimitDelay } from './rate-limit.ts';
export {
  DEFAULT_TRANSCRIBE_MODEL,
  MAX_TRANSCRIBE_BYTES,
  type TranscribeOptions,
  transcribe,
} from './transcribe.ts';
