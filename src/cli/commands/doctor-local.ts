// `baton doctor` checks of this machine: the data folder (writable, not in use) and the HTTP port.
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DataFolderLockedError } from '../../engine/index.ts';
import { FileStore } from '../../store/index.ts';

/**
 * Takes the data folder's lock, writes a file in it, and lets go.
 * @throws Error naming the pid that holds the folder, or the folder that cannot be written, with the fix.
 */
export async function checkDataFolder(dir: string): Promise<string> {
  const store = new FileStore({ dir });
  try {
    await store.open();
  } catch (err) {
    if (err instanceof DataFolderLockedError) throw err;
    throw new Error(`cannot use ${resolve(dir)} (${codeOf(err)}) — ${folderFix(dir)}`);
  }
  try {
    if (!(await store.writable())) throw new Error(`cannot write in ${resolve(dir)} — ${folderFix(dir)}`);
  } finally {
    await store.close();
  }
  return `${resolve(dir)} is writable and no other Baton uses it`;
}

/**
 * Listens on `host:port` for a moment.
 * @throws Error saying who to stop or what to set when the port is taken, privileged, or the host wrong.
 */
export async function checkPort(host: string, port: number): Promise<string> {
  if (port === 0) return 'off (BATON_HTTP_PORT=0): no /healthz or /metrics';
  const server = createServer();
  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(port, host, () => done());
    });
  } catch (err) {
    const code = codeOf(err);
    if (code === 'EADDRINUSE')
      throw new Error(
        `port ${port} on ${host} is already in use (is Baton already running?) — stop that process or set BATON_HTTP_PORT to a free port`,
      );
    if (code === 'EACCES')
      throw new Error(`port ${port} needs root privileges — set BATON_HTTP_PORT to a port above 1023`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new Error(`${host} is not an address of this machine — fix BATON_HTTP_HOST (default 127.0.0.1)`);
    throw new Error(`cannot listen on ${host}:${port} (${code}) — set BATON_HTTP_PORT or BATON_HTTP_HOST`);
  }
  await new Promise<void>((done) => server.close(() => done()));
  return `${host}:${port} is free for /healthz and /metrics`;
}

function codeOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' ? code : ((err as Error)?.message ?? String(err));
}

function folderFix(dir: string): string {
  return `give the user Baton runs as write access to it (e.g. \`sudo chown -R $USER ${dir}\`) or set BATON_DATA_DIR`;
}
