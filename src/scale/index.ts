// Scale-out coordination: what makes several Baton processes sharing one Redis behave like one.

export { RedisCallCount } from './call-count.ts';
export { connect, KEY_PREFIX, type RedisLike, type RedisOptions, reportOutages } from './connection.ts';
export { type Coordination, openCoordination } from './coordination.ts';
export { redisGroup } from './group.ts';
export { RedisLlmSpend } from './llm-spend.ts';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './rate-limiter.ts';
export { RedisSemaphore, type RedisSemaphoreOptions } from './semaphore.ts';
export { RedisDoNotContact, RedisSendBook, type RedisSendBookOptions } from './send-book.ts';
export { RedisSlotBook } from './slot-book.ts';
export { TriggerLease, type TriggerLeaseOptions } from './trigger-lease.ts';
