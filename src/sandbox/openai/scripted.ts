// Scripted outcomes a test can hand to `respondWith` besides plain answers: a refusal, a cut-off answer.
import type { ModelReply } from './replies.ts';

const SCRIPTED = Symbol('scripted openai reply');

/** A reply the emulator sends as-is (made by `scriptedRefusal` or `scriptedCutOff`). */
export interface ScriptedReply {
  readonly [SCRIPTED]: true;
  readonly reply: ModelReply;
}

/** The model refuses: chat `message.refusal` (content null), responses a `refusal` content part. */
export function scriptedRefusal(message = "I'm sorry, I can't help with that."): ScriptedReply {
  return { [SCRIPTED]: true, reply: { text: '', refusal: message, truncated: false } };
}

/** The model stops mid-answer: finish_reason `length` (chat) / status `incomplete` (responses). */
export function scriptedCutOff(partialText: string): ScriptedReply {
  return { [SCRIPTED]: true, reply: { text: partialText, truncated: true } };
}

export function isScripted(value: unknown): value is ScriptedReply {
  return typeof value === 'object' && value !== null && SCRIPTED in value;
}
