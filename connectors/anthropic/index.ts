// Anthropic (Claude): the shared client and how its failures are treated.
export { ANTHROPIC_BASE_URL, AnthropicClient, type AnthropicClientOptions } from './client.ts';
export {
  classifyAnthropicError,
  describeAnthropicError,
  type FailureContext,
  isSpendLimitError,
  retryAfterOf,
} from './failures.ts';
