// The OpenAI SDK, loaded at the first model call rather than at start-up: a Baton that is idle, or
// whose recipes have not needed a model yet, does not pay for it (~0.6 s of start-up and several MB
// resident, see bench/README.md).
import { lazyModule } from '../core/index.ts';

export const openaiSdk = lazyModule<typeof import('openai')>('openai');

/** `err` is the SDK's APIError. Only asked after a call failed, so the SDK is loaded by then. */
export function isApiError(err: unknown): err is import('openai').APIError {
  return err instanceof openaiSdk().APIError;
}
