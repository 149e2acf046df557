// The offline model: a deterministic, clearly labelled answer built from the prompt's own facts.
import { extractFacts } from './facts.ts';
import type { SchemaNode } from './json-schema.ts';
import { leadFacts, SAMPLE_LABEL } from './prose.ts';
import { sampleFromSchema } from './schema-sample.ts';

/** One message of a conversation, with its text flattened to a string. */
export interface ModelMessage {
  role: string;
  content: string;
}

/** What the model is asked to produce: free text, any JSON object, or JSON for a schema. */
export type OutputFormat =
  | { kind: 'text' }
  | { kind: 'json_object' }
  | { kind: 'json_schema'; name: string; schema: SchemaNode; strict: boolean };

/** A request to the model, the same whichever API (chat or responses) carried it. */
export interface ModelRequest {
  api: 'chat' | 'responses';
  model: string;
  messages: ModelMessage[];
  format: OutputFormat;
  temperature?: number;
  /** max_completion_tokens / max_tokens (chat) or max_output_tokens (responses). */
  maxOutputTokens?: number;
}

/**
 * The sample model's answer text: JSON for the requested schema (or any object for json_object),
 * otherwise a short labelled reply. Depends only on the messages and the format, so the same
 * request always gets the same answer. Facts come from the user messages only (instructions in
 * system/developer messages are not facts about the lead). Only `messages` and `format` are read,
 * so the Anthropic emulator answers with the same model.
 */
export function sampleAnswer(
  request: Pick<ModelRequest, 'messages' | 'format'> & Partial<ModelRequest>,
): string {
  const facts = extractFacts(request.messages.filter((m) => m.role === 'user').map((m) => m.content));
  const format = request.format;
  if (format.kind === 'json_schema') return JSON.stringify(sampleFromSchema(format.schema, facts));
  if (format.kind === 'json_object') {
    return JSON.stringify({
      note: `${SAMPLE_LABEL} Offline sample answer built from ${facts.size} fact(s) in the prompt.`,
      facts: Object.fromEntries(facts.all().map((f) => [f.key, f.value])),
    });
  }
  const lead = leadFacts(facts);
  const about = lead.company ?? lead.name;
  const read =
    facts.size === 0
      ? 'The prompt stated no facts.'
      : `It read ${facts.size} fact${facts.size === 1 ? '' : 's'} from the prompt${about ? `, about ${about}` : ''}.`;
  return `${SAMPLE_LABEL} This is the offline sample model answering; no real model was called. ${read}`;
}
