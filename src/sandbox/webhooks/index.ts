// The webhook sink emulator: a stand-in for the endpoint behind CONTENT_PUBLISH_WEBHOOK_URL.
export { WEBHOOK_SINK, type WebhookDelivery, WebhookSinkEmulator } from './emulator.ts';
