// The store conformance suite (conformance.ts) against RedisStore on a real redis-server.
import { useRedisStores } from '../support/store-kit.ts';
import './conformance.ts';

useRedisStores();
