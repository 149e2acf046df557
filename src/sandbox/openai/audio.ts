// POST /audio/transcriptions: a multipart upload checked like the real API, and a deterministic transcript.
import { HttpResponse } from 'msw';
import { invalidRequest, openaiError } from './errors.ts';
import { modelRefused, transcribeModelStatus } from './media-models.ts';
import { SAMPLE_LABEL } from './prose.ts';

/** The upload limit: 25 MiB per file; larger is a 413. */
export const MAX_AUDIO_BYTES = 25 * 1024 * 1024;
/** The formats the endpoint takes, judged by the file name's extension. */
export const AUDIO_FORMATS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'];
/** The longest audio the gpt-4o and gpt-transcribe models take [observed for gpt-4o-transcribe]. */
export const MAX_AUDIO_SECONDS = 1500;

/** One transcription request as the emulator read it. */
export interface TranscriptionUpload {
  model: string;
  filename: string;
  bytes: Buffer;
  /** Seconds of audio, when the file is an MP3 whose frame header says its bitrate. */
  seconds: number | undefined;
  prompt: string | undefined;
  language: string | undefined;
}

/** Scripts transcripts: return the text for an upload, or undefined for the default (see README). */
export type Transcriber = (upload: TranscriptionUpload) => string | undefined;

/** A transcript a test can ask for by putting `[[say:…]]` in the media's metadata (ffmpeg keeps it). */
const SAY = /\[\[say:([^\]]*)\]\]/;

/**
 * Reads a `POST /audio/transcriptions` body. @throws Response: 400 (not multipart, no file, a format
 * the API does not take, bytes that are no audio, too long, an output format the model lacks),
 * 404 (unknown or shut-down model), 413 (over 25 MiB).
 */
export async function readTranscription(request: Request, now: number): Promise<TranscriptionUpload> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.startsWith('multipart/form-data')) {
    throw invalidRequest(
      `Invalid Content-Type header (${type.split(';')[0] || 'none'}), expected multipart/form-data. (HINT: If you're using curl, you can pass in \`-F\` for multipart form data.)`,
    );
  }
  const form = await request.formData().catch(() => {
    throw invalidRequest('Could not parse multipart form');
  });
  const file = form.get('file');
  if (!(file instanceof File)) {
    throw invalidRequest("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
  }
  if (file.size > MAX_AUDIO_BYTES) {
    throw openaiError(413, {
      message: `Maximum content size limit (${MAX_AUDIO_BYTES}) exceeded (${file.size} bytes read)`,
      type: 'invalid_request_error',
    });
  }
  const model = form.get('model');
  if (typeof model !== 'string' || model === '') {
    throw invalidRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  }
  const status = transcribeModelStatus(model, now);
  if (status !== 'current') throw modelRefused(model, status);
  const extension = /\.([^.]+)$/.exec(file.name)?.[1]?.toLowerCase() ?? '';
  if (!AUDIO_FORMATS.includes(extension)) {
    throw invalidRequest(
      `Invalid file format. Supported formats: [${AUDIO_FORMATS.map((f) => `'${f}'`).join(', ')}]`,
    );
  }
  const bytes = Buffer.from(await file.arrayBuffer());
  if (!looksLikeAudio(bytes)) {
    throw invalidRequest('Audio file might be corrupted or unsupported', 'file', 'invalid_value');
  }
  const format = form.get('response_format') ?? 'json';
  const formats = model.startsWith('gpt-transcribe') ? ['json'] : ['json', 'text'];
  if (typeof format !== 'string' || !formats.includes(format)) {
    throw invalidRequest(
      `response_format '${String(format)}' is not compatible with model '${model}'. Use ${formats.map((f) => `'${f}'`).join(' or ')}.`,
      'response_format',
      'unsupported_value',
    );
  }
  const seconds = mp3Seconds(bytes);
  if (model !== 'whisper-1' && seconds !== undefined && seconds > MAX_AUDIO_SECONDS) {
    throw invalidRequest(
      `audio duration ${seconds.toFixed(1)} seconds is longer than ${MAX_AUDIO_SECONDS} seconds which is the maximum for this model`,
      'file',
      'invalid_value',
    );
  }
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : undefined;
  };
  return { model, filename: file.name, bytes, seconds, prompt: text('prompt'), language: text('language') };
}

/** The transcript: scripted, else what a `[[say:…]]` marker says, else a labelled description. */
export function transcriptOf(upload: TranscriptionUpload, script: Transcriber | undefined): string {
  const scripted = script?.(upload);
  if (scripted !== undefined) return scripted;
  const said = SAY.exec(upload.bytes.toString('latin1'))?.[1];
  if (said !== undefined) return said;
  const length =
    upload.seconds !== undefined
      ? `${Math.round(upload.seconds)} s of audio`
      : `${upload.bytes.length} bytes of audio`;
  return `${SAMPLE_LABEL} transcript of ${upload.filename} (${length}).`;
}

/** The JSON answer (`text` plus usage as the model family reports it). */
export function transcriptionResponse(
  upload: TranscriptionUpload,
  text: string,
  requestId: string,
): Response {
  const seconds = Math.max(1, Math.round(upload.seconds ?? upload.bytes.length / 4000));
  const outputTokens = Math.ceil(text.length / 4);
  const usage =
    upload.model === 'whisper-1'
      ? { type: 'duration', seconds }
      : {
          type: 'tokens',
          input_tokens: seconds * 10,
          input_token_details: { text_tokens: 0, audio_tokens: seconds * 10 },
          output_tokens: outputTokens,
          total_tokens: seconds * 10 + outputTokens,
        };
  return HttpResponse.json({ text, usage }, { headers: { 'x-request-id': requestId } });
}

/** Magic numbers of the formats the API takes: MP3 (ID3 or a frame sync), WAV, Ogg, FLAC, MP4/M4A, WebM. */
function looksLikeAudio(bytes: Buffer): boolean {
  if (bytes.length < 12) return false;
  const ascii = (from: number, to: number) => bytes.subarray(from, to).toString('latin1');
  return (
    ascii(0, 3) === 'ID3' ||
    (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0) ||
    ascii(0, 4) === 'RIFF' ||
    ascii(0, 4) === 'OggS' ||
    ascii(0, 4) === 'fLaC' ||
    ascii(4, 8) === 'ftyp' ||
    bytes.readUInt32BE(0) === 0x1a45dfa3
  );
}

const MPEG1_L3_KBPS = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const MPEG2_L3_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

/** An MP3's length from its first frame's bitrate (constant-bitrate files, as ffmpeg writes them). */
export function mp3Seconds(bytes: Buffer): number | undefined {
  let offset = 0;
  if (bytes.subarray(0, 3).toString('latin1') === 'ID3' && bytes.length >= 10) {
    offset = 10 + ((bytes[6]! << 21) | (bytes[7]! << 14) | (bytes[8]! << 7) | bytes[9]!);
  }
  const [b0, b1, b2] = [bytes[offset], bytes[offset + 1], bytes[offset + 2]];
  if (b0 !== 0xff || b1 === undefined || b2 === undefined || (b1 & 0xe0) !== 0xe0) return undefined;
  const version = (b1 >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
  const layer = (b1 >> 1) & 3; // 1: layer III
  if (layer !== 1 || version === 1) return undefined;
  const kbps = (version === 3 ? MPEG1_L3_KBPS : MPEG2_L3_KBPS)[b2 >> 4];
  if (!kbps) return undefined;
  return ((bytes.length - offset) * 8) / (kbps * 1000);
}
