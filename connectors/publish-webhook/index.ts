// The publish webhook: approved posts to any platform through CONTENT_PUBLISH_WEBHOOK_URL.
export { type PublishPayload, PublishWebhook, type PublishWebhookOptions } from './sender.ts';
