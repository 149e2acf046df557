// Scale-out dispatch: runs as BullMQ jobs shared by every Baton process on one Redis.
export {
  BullmqDispatcher,
  type BullmqDispatcherOptions,
  bullPrefix,
  queueName,
} from './bullmq-dispatcher.ts';
