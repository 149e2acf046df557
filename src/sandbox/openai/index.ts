// The OpenAI API emulator and its offline sample model, for tests and `baton sandbox`.
export {
  AUDIO_FORMATS,
  MAX_AUDIO_BYTES,
  MAX_AUDIO_SECONDS,
  mp3Seconds,
  type Transcriber,
  type TranscriptionUpload,
} from './audio.ts';
export {
  type ImageCall,
  type OpenAICall,
  OpenAIEmulator,
  type OpenAIEmulatorOptions,
  type OpenAIResponder,
  type TranscriptionCall,
} from './emulator.ts';
export { maskKey, type RateLimitHints } from './errors.ts';
export { extractFacts, type Fact, Facts } from './facts.ts';
export { IMAGE_SIZES, type ImageRequest, MODERATION_MARKER } from './images.ts';
export { type SchemaNode, validate as validateJsonSchema } from './json-schema.ts';
export {
  IMAGE_MODELS,
  LEGACY_TRANSCRIBE_MODELS,
  LEGACY_TRANSCRIBE_SHUTDOWN,
  RETIRED_IMAGE_MODELS,
  TRANSCRIBE_MODELS,
} from './media-models.ts';
export { DEFAULT_MODELS } from './models.ts';
export { samplePng } from './png.ts';
export { SAMPLE_LABEL } from './prose.ts';
export { estimateTokens } from './replies.ts';
export { type ModelMessage, type ModelRequest, type OutputFormat, sampleAnswer } from './sample-model.ts';
export { sampleFromSchema } from './schema-sample.ts';
export { type ScriptedReply, scriptedCutOff, scriptedRefusal } from './scripted.ts';
