// The instance id of a data folder: made once, kept in `<dataDir>/instance.json`, so a restart is the same instance.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';

const Stored = z.object({ id: z.string().regex(/^[0-9a-f]{8}$/) });

/**
 * This data folder's instance id (8 hex digits), created on first use. Call it with the data
 * folder locked: two processes never create one for the same folder. A lost folder makes a new id,
 * which is right: its old heartbeat is then another instance's, taken over once stale or dead.
 */
export async function instanceIdOf(dataDir: string): Promise<string> {
  const file = join(dataDir, 'instance.json');
  const found = await readInstanceId(dataDir);
  if (found) return found;
  const id = randomBytes(4).toString('hex');
  await writeFileAtomic(file, JSON.stringify({ id }));
  return id;
}

/** The data folder's instance id if it has one (never creates it: `baton doctor` only looks). */
export async function readInstanceId(dataDir: string): Promise<string | undefined> {
  try {
    return Stored.safeParse(JSON.parse(await readFile(join(dataDir, 'instance.json'), 'utf8'))).data?.id;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || err instanceof SyntaxError) return undefined;
    throw err;
  }
}
