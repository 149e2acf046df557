// The sandbox's demo video: made by the project's ffmpeg, transcribed as what its marker says, and
// answered by the offline model with three posts the content recipe accepts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Posts } from '../../recipes/content/prompts.ts';
import { DEMO_VIDEO_SAYS, demoVideoPosts, makeDemoVideo } from '../../src/sandbox/demo-video.ts';

describe('the demo video', () => {
  it('is an MP4 carrying its transcript marker', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'baton-demo-video-'));
    try {
      const bytes = await makeDemoVideo(dir);
      expect(bytes.subarray(4, 8).toString('latin1')).toBe('ftyp');
      expect(bytes.includes(Buffer.from(`[[say:${DEMO_VIDEO_SAYS}]]`))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("gets three schema-valid posts written from its transcript, and no other video's", () => {
    const asked = (text: string) => ({
      schemaName: 'linkedin_posts',
      messages: [{ content: `Transcript: ${text}` }],
    });
    expect(Posts.safeParse(demoVideoPosts(asked(DEMO_VIDEO_SAYS))).success).toBe(true);
    expect(demoVideoPosts(asked('Another video about something else entirely'))).toBeUndefined();
  });
});
