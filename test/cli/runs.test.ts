// `baton runs`, `baton show`, `baton retry` as a user types them, against a real data folder.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/engine/index.ts';
import { FileStore } from '../../src/store/index.ts';
import { finished } from '../support/child.ts';
import { useTempDirs } from '../support/temp-dir.ts';

const tempDir = useTempDirs();

function baton(args: string[], env: NodeJS.ProcessEnv) {
  return finished(
    spawn(process.execPath, ['bin/baton.js', ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

async function seed(dir: string) {
  const store = new FileStore({ dir });
  await store.open();
  const base = {
    version: 1 as const,
    recipe: 'pitch',
    input: {},
    createdAt: 1_767_600_000_000,
    executions: 1,
    inbox: [],
  };
  const failed: RunRecord = {
    ...base,
    id: 'pitch-failedrun',
    itemKey: 'ada@example.com#t1',
    status: 'failed',
    updatedAt: 1_767_600_060_000,
    journal: [
      {
        id: 'write-pitch',
        kind: 'step',
        status: 'done',
        value: { subject: 'Hi' },
        attempts: 1,
        startedAt: 1,
        endedAt: 1201,
      },
      {
        id: 'create-card',
        kind: 'step',
        status: 'failed',
        attempts: 5,
        error: {
          name: 'NotFoundError',
          message: "Trello list 'Review' not found on board b1 — create it or set TRELLO_REVIEW_LIST",
        },
      },
    ],
    error: {
      name: 'StepFailedError',
      message: "Step 'create-card' failed after 5 attempt(s): Trello list 'Review' not found",
    },
  };
  const waiting: RunRecord = {
    ...base,
    id: 'pitch-waitingrun',
    itemKey: 'bob@example.com#t2',
    status: 'waiting',
    updatedAt: 1_767_600_000_000,
    journal: [],
    wake: { reason: 'signal', stepId: 'approval', key: 'trello:card:c1', at: 1_768_809_600_000 },
  };
  await store.saveRun(failed);
  await store.saveRun(waiting);
  await store.close();
}

// Each test starts the CLI several times: slow on a loaded machine, hence the longer timeout.
describe('baton runs / show / retry', { timeout: 90_000 }, () => {
  it('lists runs, filtered by status, with what each waits for or why it failed', async () => {
    const dir = await tempDir();
    await seed(dir);
    const all = await baton(['runs'], { BATON_DATA_DIR: dir });
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('pitch-waitingrun  pitch   waiting');
    expect(all.stdout).toContain('signal trello:card:c1 (timeout 2026-01-19T08:00:00Z)');
    const failed = await baton(['runs', '--status', 'failed'], { BATON_DATA_DIR: dir });
    expect(failed.stdout).not.toContain('pitch-waitingrun');
    expect(failed.stdout).toContain("Step 'create-card' failed after 5 attempt(s)");
    const bad = await baton(['runs', '--status', 'broken'], { BATON_DATA_DIR: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      "Unknown status 'broken' — use queued, running, waiting, done, failed, cancelled",
    );
  });

  it('shows one run step by step, with the error and how to retry it', async () => {
    const dir = await tempDir();
    await seed(dir);
    const shown = await baton(['show', 'pitch-failedrun'], { BATON_DATA_DIR: dir });
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('done    step   write-pitch 1200 ms');
    expect(shown.stdout).toContain('failed  step   create-card after 5 attempts');
    expect(shown.stdout).toContain('create it or set TRELLO_REVIEW_LIST');
    expect(shown.stdout).toContain('Retry it with: baton retry pitch-failedrun');
    const missing = await baton(['show', 'pitch-nope'], { BATON_DATA_DIR: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No run pitch-nope');
  });

  it('retry requests the failed run again (picked up by the process that owns the folder)', async () => {
    const dir = await tempDir();
    await seed(dir);
    const retried = await baton(['retry', 'pitch-failedrun'], { BATON_DATA_DIR: dir });
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain("resumes from step 'create-card'");
    const owner = new FileStore({ dir });
    await owner.open();
    expect(await owner.takeCommands()).toEqual([{ kind: 'retry', runId: 'pitch-failedrun' }]);
    await owner.close();
    const notFailed = await baton(['retry', 'pitch-waitingrun'], { BATON_DATA_DIR: dir });
    expect(notFailed.code).toBe(1);
    expect(notFailed.stderr).toContain('is waiting, not failed');
  });

  it('reports every configuration problem at once and exits 78', async () => {
    const result = await baton(['runs'], {
      BATON_CONCURRENCY: 'many',
      BATON_POLL_INTERVAL: 'soon',
      LOG_LEVEL: '',
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('BATON_POLL_INTERVAL');
    expect(result.stderr).toContain('BATON_CONCURRENCY must be a whole number');
  });
});
