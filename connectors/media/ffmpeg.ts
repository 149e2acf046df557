// Finds the ffmpeg binary (FFMPEG_PATH, else the one inside @ffmpeg-installer/ffmpeg) and runs it.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { FfmpegUnavailableError } from './errors.ts';

const require = createRequire(import.meta.url);
const Installer = z.object({ path: z.string().min(1) });

/** How much of ffmpeg's stderr is kept for errors and for reading the volume and duration. */
const STDERR_KEEP = 64 * 1024;

/**
 * The ffmpeg to run: `configured` (FFMPEG_PATH) when given, else the binary that ships inside the
 * `@ffmpeg-installer/ffmpeg` npm package (nothing is ever downloaded).
 * @throws FfmpegUnavailableError when FFMPEG_PATH is not an executable file, or the package has no
 *   binary for this platform.
 */
export async function resolveFfmpeg(configured?: string): Promise<string> {
  if (configured) {
    try {
      await access(configured, constants.X_OK);
    } catch (err) {
      throw new FfmpegUnavailableError(`FFMPEG_PATH=${configured} is not an executable file`, { cause: err });
    }
    return configured;
  }
  let installed: unknown;
  try {
    installed = require('@ffmpeg-installer/ffmpeg');
  } catch (err) {
    // The package throws a plain string for a platform it has no binary for.
    const why = err instanceof Error ? err.message : String(err);
    throw new FfmpegUnavailableError(`the ffmpeg inside @ffmpeg-installer/ffmpeg is missing (${why})`, {
      cause: err,
    });
  }
  const parsed = Installer.safeParse(installed);
  if (!parsed.success) throw new FfmpegUnavailableError('@ffmpeg-installer/ffmpeg names no binary');
  return parsed.data.path;
}

/** What a finished ffmpeg run left on stderr (its last 64 KB). */
export interface FfmpegRun {
  stderr: string;
}

/** An ffmpeg run that exited with an error; `stderr` holds its last words. */
export class FfmpegFailed extends Error {
  override readonly name = 'FfmpegFailed';
  constructor(
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`ffmpeg exited with ${exitCode ?? 'a signal'}: ${lastLine(stderr)}`);
  }
}

/**
 * Runs ffmpeg with exactly `args` (no shell), stdin closed. Resolves when it exits 0.
 * @throws FfmpegFailed on another exit code; FfmpegUnavailableError when it cannot start;
 *   the signal's reason when aborted (ffmpeg is killed).
 */
export function runFfmpeg(ffmpeg: string, args: readonly string[], signal?: AbortSignal): Promise<FfmpegRun> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'ignore', 'pipe'], signal });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP);
    });
    child.on('error', (err) => {
      if (signal?.aborted) reject(signal.reason);
      else
        reject(
          new FfmpegUnavailableError(`ffmpeg at ${ffmpeg} did not start: ${err.message}`, { cause: err }),
        );
    });
    child.on('close', (code) => {
      if (signal?.aborted) return reject(signal.reason);
      if (code === 0) resolve({ stderr });
      else reject(new FfmpegFailed(code, stderr));
    });
  });
}

/**
 * ffmpeg's version line (`ffmpeg version 4.1 …`): what `baton doctor` shows after checking it runs.
 * @throws FfmpegUnavailableError when it does not run.
 */
export async function ffmpegVersion(ffmpeg: string): Promise<string> {
  const output = await new Promise<string>((resolve, reject) => {
    const proc = spawn(ffmpeg, ['-hide_banner', '-version'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      out += chunk;
    });
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit code ${code}`))));
  }).catch((err: unknown) => {
    throw new FfmpegUnavailableError(`ffmpeg at ${ffmpeg} does not run: ${(err as Error).message}`, {
      cause: err,
    });
  });
  return output.split('\n')[0]?.trim() ?? 'ffmpeg';
}

/** The last non-empty line of ffmpeg's stderr: where it says what went wrong. */
export function lastLine(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? 'no output';
}
