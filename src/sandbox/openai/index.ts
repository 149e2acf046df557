// The OpenAI API emulator and its offline sample model, for tests and `baton sandbox`.
export {
  type OpenAICall,
  OpenAIEmulator,
  type OpenAIEmulatorOptions,
  type OpenAIResponder,
} from './emulator.ts';
export { maskKey, type RateLimitHints } from './errors.ts';
export { extractFacts, type Fact, Facts } from './facts.ts';
export { type SchemaNode, validate as validateJsonSchema } from './json-schema.ts';
export { DEFAULT_MODELS } from './models.ts';
export { SAMPLE_LABEL } from './prose.ts';
export { estimateTokens } from './replies.ts';
export { type ModelMessage, type ModelRequest, type OutputFormat, sampleAnswer } from './sample-model.ts';
export { sampleFromSchema } from './schema-sample.ts';
export { type ScriptedReply, scriptedCutOff, scriptedRefusal } from './scripted.ts';
