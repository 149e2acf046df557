// Media: ffmpeg (found, never downloaded), audio chunks for transcription, and which files are media.
export {
  type AudioChunk,
  type AudioChunks,
  audioArgs,
  type ExtractOptions,
  extractAudioChunks,
  MAX_CHUNK_BYTES,
  MAX_CHUNK_SECONDS,
  SILENCE_DB,
} from './audio.ts';
export {
  DEFAULT_MAX_VIDEO_MB,
  type DownloadMediaOptions,
  downloadMedia,
  type MediaFilesOptions,
  newMediaFiles,
} from './drive-input.ts';
export { FfmpegUnavailableError, MediaError, type MediaProblem } from './errors.ts';
export { FfmpegFailed, type FfmpegRun, ffmpegVersion, resolveFfmpeg, runFfmpeg } from './ffmpeg.ts';
export { isAcceptedMedia, MEDIA_EXTENSIONS, MEDIA_TYPES } from './formats.ts';
export { MediaEnv, MediaEnvFields, type MediaSettings } from './settings.ts';
export { type TranscribeMediaOptions, type Transcript, transcribeMedia } from './transcribe.ts';
