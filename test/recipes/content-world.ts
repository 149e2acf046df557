// A Baton running the content recipe against a fresh emulated world, one cron cycle at a time, on a
// clock a test moves ahead; the models scripted per transcript so posts are known in advance.
import { buildContent, type ContentTuning } from '../../recipes/content/setup.ts';
import { createLogger, type Logger, silentLogger } from '../../src/log.ts';
import { Baton } from '../../src/runtime/index.ts';
import type { OpenAICall } from '../../src/sandbox/openai/index.ts';
import { TravelClock } from '../../src/sandbox/travel-clock.ts';
import { createWorld, type EmulatedWorld } from '../../src/sandbox/world.ts';
import { FileStore } from '../../src/store/index.ts';

export const CONTENT_FAST: ContentTuning = {
  limits: 'relaxed',
  retry: { maxAttempts: 4, initialDelayMs: 5, maxDelayMs: 20 },
  publishPolicy: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
};

export interface ContentWorld extends EmulatedWorld {
  clock: TravelClock;
}

/** A world whose clock starts on Monday 2026-12-07 10:00 UTC: the default slots are Tue, Wed, Thu 09:00. */
export function contentWorld(): ContentWorld {
  const clock = new TravelClock();
  clock.advance(Date.parse('2026-12-07T10:00:00Z') - clock.now());
  return { ...createWorld({ limits: 'relaxed', clock }), clock };
}

export async function contentBaton(
  world: ContentWorld,
  dataDir: string,
  options: { env?: Record<string, string>; tuning?: ContentTuning; log?: Logger } = {},
): Promise<Baton> {
  const level = process.env.BATON_TEST_LOG;
  const log = options.log ?? (level ? createLogger({ level }) : silentLogger);
  const recipe = buildContent(
    { env: { ...world.env, TZ: 'UTC', ...options.env }, log, clock: world.clock, dataDir },
    { ...CONTENT_FAST, ...options.tuning },
  );
  const baton = new Baton({
    store: new FileStore({ dir: dataDir, log }),
    recipes: [recipe],
    log,
    clock: world.clock,
    onceRetryHorizonMs: 5000,
  });
  await baton.open();
  return baton;
}

/** One cron cycle of `baton run content --once`. */
export async function contentCycle(
  world: ContentWorld,
  dataDir: string,
  options: Parameters<typeof contentBaton>[2] = {},
) {
  const baton = await contentBaton(world, dataDir, options);
  try {
    await baton.runOnce('content');
  } finally {
    await baton.stop();
  }
}

export interface ScriptedPost {
  hook: string;
  body: string;
  hashtags: string[];
}

const textOf = (call: OpenAICall) =>
  call.messages
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
    .join('\n');

/**
 * The writer answers with `posts[marker]` for the transcript containing `marker`; the auditor
 * passes; a rewrite answers `Rewritten: <comment>`; an image direction is the reviewer's words.
 */
export function scriptPosts(
  world: EmulatedWorld,
  posts: Record<string, ScriptedPost[]>,
  /** Transcript markers whose posts the auditor always fails. */
  failing: string[] = [],
) {
  world.openai.respondWith((call) => {
    const text = textOf(call);
    switch (call.schemaName) {
      case 'linkedin_posts': {
        const marker = Object.keys(posts).find((m) => text.includes(m));
        if (!marker) return undefined;
        return {
          posts: posts[marker]!.map((p, i) => ({
            ...p,
            imagePrompt: `A picture for ${marker} post ${i + 1}`,
          })),
        };
      }
      case 'posts_audit':
        return failing.some((m) => text.includes(m))
          ? {
              verdict: 'FAIL',
              problems: ['Post 2 claims a client the video never names'],
              corrections: 'Drop the client.',
            }
          : { verdict: 'PASS', problems: [], corrections: '' };
      case 'linkedin_post_rewrite': {
        const comment = /Reviewer's comment: (.*)/.exec(text)?.[1] ?? '';
        return { text: `Rewritten: ${comment}. Short and plain now, as asked.` };
      }
      case 'image_direction': {
        const wanted = /The reviewer wants the picture to be: (.*)/.exec(text)?.[1] ?? '';
        return { imagePrompt: `New picture: ${wanted}` };
      }
      default:
        return undefined;
    }
  });
}
