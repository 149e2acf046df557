// Pieces every connector shares: the per-service request policy and the error types.
export {
  AuthError,
  classifyByStatus,
  type FailureClass,
  isNetworkError,
  NotFoundError,
  parseRetryAfter,
  ServiceError,
  ServicePausedError,
  statusOf,
} from './errors.ts';
export { lazyModule } from './lazy-module.ts';
export { FailedModels, policyTuning, retryAfterFromHeaders } from './sdk-requests.ts';
export { type RateLimit, ServicePolicy, type ServicePolicyOptions } from './service-policy.ts';
export { type SharedRateLimiter, sharedRateLimiter, shareRateLimits } from './shared-limit.ts';
