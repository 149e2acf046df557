// The sandbox's own data folder: marked as such, and emptied at each start (its world lives in memory).
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SLOTS_FILE } from '../../recipes/content/calendar.ts';
import { BatonError } from '../engine/index.ts';
import { FileStore } from '../store/index.ts';
import { DEMO_VIDEO_FILE } from './demo-video.ts';

const MARKER = 'SANDBOX.txt';
const MARKER_TEXT =
  "This folder holds the Baton sandbox's runs. The sandbox empties it each time it starts: its\n" +
  'emulated world lives in memory, so runs from an earlier start would point at cards and rows that\n' +
  'no longer exist.\n';
/**
 * What a FileStore keeps in its folder (see src/store/file-store.ts), and what the content recipe
 * keeps beside it (downloads, booked post slots, the demo video): slots booked by an earlier start
 * would push new posts weeks ahead.
 */
const STORE_PARTS = [
  'runs',
  'finished',
  'cursors',
  'commands',
  'archive',
  'quarantine',
  'content',
  SLOTS_FILE,
  DEMO_VIDEO_FILE,
];

/**
 * Makes `dir` ready for a fresh sandbox: creates it, or empties a folder an earlier sandbox marked.
 * Idempotent. Holds the folder's lock while emptying it.
 * @throws BatonError when `dir` holds anything but a sandbox's files (it may be a real data folder:
 *   it is never emptied); DataFolderLockedError when another Baton process is using it.
 */
export async function prepareSandboxFolder(dir: string): Promise<void> {
  const entries: string[] = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  if (entries.length > 0 && !entries.includes(MARKER)) {
    throw new BatonError(
      `${dir} is not a sandbox data folder (it may hold real runs), so the sandbox will not use it`,
      {
        hint: 'pass an empty or new folder with --data-dir',
      },
    );
  }
  const store = new FileStore({ dir });
  await store.open();
  try {
    await Promise.all(STORE_PARTS.map((part) => rm(join(dir, part), { recursive: true, force: true })));
    await writeFile(join(dir, MARKER), MARKER_TEXT);
  } finally {
    await store.close();
  }
}
