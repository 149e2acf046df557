// What goes wrong with a media file or with ffmpeg itself, in words a user can act on.
import { ServiceError } from '../core/index.ts';

/** Why a file could not be turned into a transcript. */
export type MediaProblem = 'unreadable' | 'no-audio' | 'silent' | 'too-large';

/**
 * A file Baton could not transcribe; `message` is exactly "could not transcribe <file>: <reason>",
 * ready for a review card. Never retried: the same file fails the same way.
 */
export class MediaError extends ServiceError {
  override readonly name = 'MediaError';
  readonly file: string;
  readonly reason: string;
  readonly problem: MediaProblem;

  constructor(file: string, problem: MediaProblem, reason: string, options: { cause?: unknown } = {}) {
    super('media', `could not transcribe ${file}: ${reason}`, { retryable: false, ...options });
    this.file = file;
    this.reason = reason;
    this.problem = problem;
  }
}

/** ffmpeg cannot be found or does not run: a setup problem, named with the setting that fixes it. */
export class FfmpegUnavailableError extends ServiceError {
  override readonly name = 'FfmpegUnavailableError';

  constructor(message: string, options: { cause?: unknown } = {}) {
    super('media', message, {
      retryable: false,
      hint: 'set FFMPEG_PATH to an ffmpeg binary (e.g. /usr/bin/ffmpeg), or reinstall so the @ffmpeg-installer/ffmpeg package ships one',
      ...options,
    });
  }
}
