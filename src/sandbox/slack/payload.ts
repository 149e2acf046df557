// What an incoming webhook accepts: a JSON body (or a form field `payload`) with text and/or blocks.

/** A message as the emulator stores it. */
export interface PostedMessage {
  text?: string;
  blocks?: unknown[];
  /** Other keys the caller sent (attachments, unfurl_links, …), kept as sent. */
  extra: Record<string, unknown>;
}

/** Slack's limit on blocks per message. */
export const MAX_BLOCKS = 50;

/** A refusal: Slack answers webhooks with a plain-text error string. */
export class WebhookRefusal {
  constructor(
    readonly status: number,
    readonly error: string,
  ) {}
}

/**
 * Reads a webhook body. JSON is the documented form; `application/x-www-form-urlencoded` with a
 * `payload` field holding JSON is also accepted, as Slack does.
 * @throws WebhookRefusal 400 `invalid_payload` (not JSON, not an object), 400 `no_text` (neither text
 *   nor blocks nor attachments), 400 `invalid_blocks` (blocks that are not objects with a type, or more than 50)
 */
export function readPayload(contentType: string, body: string): PostedMessage {
  let raw: unknown;
  try {
    raw = contentType.includes('application/x-www-form-urlencoded')
      ? JSON.parse(new URLSearchParams(body).get('payload') ?? '')
      : JSON.parse(body);
  } catch {
    throw new WebhookRefusal(400, 'invalid_payload');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new WebhookRefusal(400, 'invalid_payload');
  }
  const { text, blocks, ...extra } = raw as Record<string, unknown>;
  if (text !== undefined && typeof text !== 'string') throw new WebhookRefusal(400, 'invalid_payload');
  if (blocks !== undefined) {
    const valid =
      Array.isArray(blocks) &&
      blocks.length <= MAX_BLOCKS &&
      blocks.every(
        (b) => typeof b === 'object' && b !== null && typeof (b as { type?: unknown }).type === 'string',
      );
    if (!valid) throw new WebhookRefusal(400, 'invalid_blocks');
  }
  const hasText = typeof text === 'string' && text.trim() !== '';
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  const hasAttachments = Array.isArray(extra.attachments) && extra.attachments.length > 0;
  if (!hasText && !hasBlocks && !hasAttachments) throw new WebhookRefusal(400, 'no_text');
  return {
    ...(typeof text === 'string' ? { text } : {}),
    ...(Array.isArray(blocks) ? { blocks } : {}),
    extra,
  };
}
