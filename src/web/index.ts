// Baton's web layer on Hono: the security middleware every page uses, and the runs dashboard.
export { type DashboardOptions, dashboardApp } from './dashboard/app.tsx';
export { LoginLimiter, type LoginLimiterOptions } from './login-limiter.ts';
export { isLoopbackHost, loopbackHost } from './middleware/loopback-host.ts';
export { type PageVariables, pageHeaders } from './middleware/page-headers.ts';
export { sameOrigin } from './middleware/same-origin.ts';
export { type TokenAuthOptions, tokenAuth } from './middleware/token-auth.ts';
export { RunIndex, type RunRow } from './run-index.ts';
