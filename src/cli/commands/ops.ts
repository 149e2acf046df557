// What `baton start` adds around a running Baton: status.json for `baton status`, and the HTTP
// server with /healthz, /metrics and (with BATON_DASHBOARD_TOKEN) the runs dashboard.
import { join } from 'node:path';
import type { HttpConfig } from '../../config.ts';
import { BatonError } from '../../engine/index.ts';
import type { Logger } from '../../log.ts';
import type { Baton } from '../../runtime/baton.ts';
import { closeServer, createHttpServer, listen } from '../../runtime/http.ts';
import { STATUS_FILE } from './status.ts';

export interface Ops {
  /** The HTTP server's base URL, when it runs. */
  url?: string;
  close(): Promise<void>;
}

/**
 * Starts publishing status.json in `dataDir` and, unless `http.port` is 0, serves /healthz and
 * /metrics on `http.host:http.port`.
 * @throws BatonError (after stopping `baton`) when the port cannot be had.
 */
export async function serveOps(
  baton: Baton,
  dataDir: string,
  http: HttpConfig,
  log: Logger,
  graceMs: number,
): Promise<Ops> {
  await baton.publishStatus(join(dataDir, STATUS_FILE));
  if (http.port === 0) return { close: async () => undefined };
  const server = createHttpServer({ baton, dashboardToken: http.dashboardToken });
  let url: string;
  try {
    url = await listen(server, http.port, http.host);
  } catch (err) {
    await baton.stop(graceMs);
    throw new BatonError(
      `Cannot serve /healthz and /metrics on ${http.host}:${http.port} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      {
        hint: 'stop whatever uses that port or set BATON_HTTP_PORT (0 turns the server off)',
        cause: err,
      },
    );
  }
  log.info(
    {
      healthz: `${url}/healthz`,
      metrics: `${url}/metrics`,
      dashboard: http.dashboardToken ? `${url}/` : 'off (set BATON_DASHBOARD_TOKEN)',
    },
    'serving health and metrics',
  );
  return { url, close: () => closeServer(server) };
}
