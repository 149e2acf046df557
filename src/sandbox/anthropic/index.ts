// The Claude API emulator, answered by the offline sample model, for tests and `baton sandbox`.
export {
  type AnthropicCall,
  AnthropicEmulator,
  type AnthropicEmulatorOptions,
  type AnthropicResponder,
} from './emulator.ts';
export { DEFAULT_CLAUDE_MODELS } from './models.ts';
