// The media variables: defaults, blanks, and refusals that name what is expected.
import { describe, expect, it } from 'vitest';
import { MediaEnv } from '../../../connectors/media/index.ts';

describe('MediaEnv', () => {
  it('fills the defaults, treating blank values as unset', () => {
    expect(MediaEnv.parse({ CONTENT_IMAGE_SIZE: ' ', FFMPEG_PATH: '' })).toEqual({
      CONTENT_MAX_VIDEO_MB: 2048,
      CONTENT_TRANSCRIBE_MODEL: 'gpt-transcribe',
      CONTENT_IMAGE_MODEL: 'gpt-image-2',
      CONTENT_IMAGE_SIZE: '1536x1024',
    });
    expect(MediaEnv.parse({ CONTENT_MAX_VIDEO_MB: '500', FFMPEG_PATH: '/usr/bin/ffmpeg' })).toMatchObject({
      CONTENT_MAX_VIDEO_MB: 500,
      FFMPEG_PATH: '/usr/bin/ffmpeg',
    });
  });

  it('refuses a size the image models do not make and a cap that is not a whole number', () => {
    const size = MediaEnv.safeParse({ CONTENT_IMAGE_SIZE: '1792x1024' });
    expect(size.error?.issues[0]?.message).toBe('must be one of 1024x1024, 1536x1024, 1024x1536, auto');
    const cap = MediaEnv.safeParse({ CONTENT_MAX_VIDEO_MB: '2 GB' });
    expect(cap.error?.issues[0]?.message).toBe('must be a whole number of megabytes');
  });
});
