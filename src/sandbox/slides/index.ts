// The Google Slides emulator: what tests and the sandbox serve in place of slides.googleapis.com.
export {
  PRESENTATION_MIME,
  SLIDES_API,
  SlidesEmulator,
  type SlidesEmulatorOptions,
} from './emulator.ts';
