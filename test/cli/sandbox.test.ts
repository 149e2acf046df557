// When `baton start` runs the sandbox instead of the real thing, and the sandbox's own data folder.
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMode } from '../../src/cli/commands/sandbox.ts';
import { ConfigProblems } from '../../src/cli/environment.ts';
import { prepareSandboxFolder } from '../../src/sandbox/data-folder.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

describe('baton start with and without credentials', () => {
  it('starts the sandbox when nothing is configured (runtime settings alone do not count)', () => {
    expect(startMode({})).toBe('sandbox');
    expect(startMode({ BATON_POLL_INTERVAL: '60s', LOG_LEVEL: 'info', OPENAI_API_KEY: '  ' })).toBe(
      'sandbox',
    );
  });

  it('runs for real once a recipe is configured, even when its values are incomplete or wrong', () => {
    expect(startMode({ PITCH_SHEET_ID: '1AbC' })).toBe('real');
    expect(startMode({ PITCH_SHEET_ID: '1AbC', OPENAI_API_KEY: 'sk-wrong' })).toBe('real');
  });

  it('refuses credentials without a recipe instead of quietly showing the sandbox', () => {
    let error: unknown;
    try {
      startMode({ OPENAI_API_KEY: 'sk-real', TRELLO_TOKEN: 'abc' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigProblems);
    const problems = (error as ConfigProblems).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('OPENAI_API_KEY, TRELLO_TOKEN are set, but no recipe is configured');
    expect(problems[0]).toContain('baton sandbox');
    expect(problems[0]).not.toContain('sk-real');
  });
});

describe('the sandbox data folder', () => {
  it('is created and marked, and emptied of earlier runs at the next start', async () => {
    const dir = join(await tempDir(), 'sandbox');
    await prepareSandboxFolder(dir);
    await mkdir(join(dir, 'runs'), { recursive: true });
    await writeFile(join(dir, 'runs', 'pitch-old.json'), '{}');
    await prepareSandboxFolder(dir);
    expect(existsSync(join(dir, 'SANDBOX.txt'))).toBe(true);
    expect(existsSync(join(dir, 'runs', 'pitch-old.json'))).toBe(false);
  });

  it('never empties a folder it did not make (it may hold real runs)', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'runs'));
    await writeFile(join(dir, 'runs', 'pitch-real.json'), '{}');
    await expect(prepareSandboxFolder(dir)).rejects.toThrow(/not a sandbox data folder/);
    expect(await readdir(join(dir, 'runs'))).toEqual(['pitch-real.json']);
  });
});
