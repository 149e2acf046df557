// The runs dashboard as a Hono app: sign-in with BATON_DASHBOARD_TOKEN, the runs list, a run's page
// and its Retry button (the same command inbox `baton retry` uses). Mounted on the ops server.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { RUN_STATUSES } from '../../engine/run-record.ts';
import type { Baton } from '../../runtime/baton.ts';
import { LoginLimiter } from '../login-limiter.ts';
import { type PageVariables, pageHeaders } from '../middleware/page-headers.ts';
import { sameOrigin } from '../middleware/same-origin.ts';
import { tokenAuth } from '../middleware/token-auth.ts';
import { refusal } from '../refusal.tsx';
import { RunIndex } from '../run-index.ts';
import { loginRoutes } from './login.tsx';
import { RunPage } from './run-page.tsx';
import { RunsPage } from './runs-page.tsx';

export interface DashboardOptions {
  baton: Baton;
  /** BATON_DASHBOARD_TOKEN. Never logged, never shown. */
  token: string;
  limiter?: LoginLimiter;
}

const NOTICES = {
  retry: 'Retry requested: Baton picks it up within a few seconds. Reload to follow it.',
} as const;

export function dashboardApp(options: DashboardOptions): Hono<{ Variables: PageVariables }> {
  const { baton } = options;
  const limiter = options.limiter ?? new LoginLimiter();
  const app = new Hono<{ Variables: PageVariables }>();
  app.use(
    sameOrigin(),
    pageHeaders(),
    bodyLimit({ maxSize: 16 * 1024, onError: (c) => refusal(c, 413, 'That form was too large') }),
  );
  app.route('/', loginRoutes({ token: options.token, limiter }));
  app.use(tokenAuth({ token: options.token, limiter, loginPath: '/login' }));

  const runs = new RunIndex(baton);

  app.get('/', async (c) => {
    const state = c.req.query('state');
    return c.html(
      <RunsPage
        nonce={c.var.nonce}
        runs={await runs.list()}
        state={(RUN_STATUSES as readonly string[]).includes(state ?? '') ? state : undefined}
        recipe={c.req.query('recipe') || undefined}
      />,
    );
  });

  app.get('/runs/:runId', async (c) => {
    const stored = await baton.store.getRun(c.req.param('runId'));
    if (!stored) return refusal(c, 404, `No run ${c.req.param('runId')}`);
    const live = baton.engine.activeRuns().find((r) => r.id === stored.id)?.status;
    const run = live ? { ...stored, status: live } : stored;
    const notice = c.req.query('notice');
    return c.html(
      <RunPage nonce={c.var.nonce} run={run} notice={notice === 'retry' ? NOTICES.retry : undefined} />,
    );
  });

  app.post('/runs/:runId/retry', async (c) => {
    const runId = c.req.param('runId');
    const run = await baton.store.getRun(runId);
    if (!run) return refusal(c, 404, `No run ${runId}`);
    if (run.status !== 'failed' && run.status !== 'cancelled')
      return refusal(c, 409, `Run ${runId} is ${run.status}: only failed or cancelled runs can be retried`);
    await baton.store.enqueueCommand({ kind: 'retry', runId });
    return c.redirect(`/runs/${runId}?notice=retry`, 303);
  });
  return app;
}
