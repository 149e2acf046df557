// Slack: best-effort alerts through an incoming webhook (never thrown, logged once per outage).
export { classifySlack, WebhookFailure } from './failures.ts';
export {
  MAX_BLOCKS,
  type NotifyResult,
  type SlackMessageInput,
  SlackNotifier,
  type SlackNotifierOptions,
} from './notifier.ts';
export { alertWhenStuck } from './stuck-alert.ts';
export { escapeSlack, SlackText, slackLink, slackText } from './text.ts';
