// What the emulators served, per rate-limited resource, and the lower bound those counts imply.
import { METHOD_UNITS } from '../../src/sandbox/gmail/index.ts';
import type { LoggedRequest } from '../../src/sandbox/kit/index.ts';
import { matchRoute, READ_METHODS } from '../../src/sandbox/sheets/index.ts';
import type { EmulatedWorld } from '../../src/sandbox/world.ts';

/** The documented limits the emulators enforce (src/sandbox/world.ts, 'documented'). */
export const LIMITS = {
  sheetsReads: { limit: 60, intervalMs: 60_000, what: '60 reads/min/user' },
  sheetsWrites: { limit: 60, intervalMs: 60_000, what: '60 writes/min/user' },
  trello: { limit: 100, intervalMs: 10_000, what: '100 req/10 s/token' },
  gmailUnits: { limit: 15_000, intervalMs: 60_000, what: '15,000 units/min/user' },
} as const;

export interface Traffic {
  sheetsReads: number;
  sheetsWrites: number;
  trelloRequests: number;
  gmailUnits: number;
  gmailRequests: number;
  modelCalls: number;
  /** Answers that were a rate-limit refusal (429, or Gmail's 403 rate limit), all services. */
  rateLimited: number;
  /** True when an emulator's log hit its 5,000-entry cap (counts would be short). */
  truncated: boolean;
}

type GmailMethod = keyof typeof METHOD_UNITS;

const accepted = (r: LoggedRequest) => r.status !== 429 && r.status !== 0;

function gmailMethod(r: LoggedRequest): GmailMethod | undefined {
  const path = r.path.split('?')[0] ?? '';
  const tail = path.replace(/^.*\/users\/[^/]+\//, '');
  if (tail === 'profile') return 'getProfile';
  if (tail === 'drafts/send') return 'drafts.send';
  if (tail === 'drafts') return r.method === 'POST' ? 'drafts.create' : 'drafts.list';
  if (tail.startsWith('drafts/'))
    return r.method === 'PUT' ? 'drafts.update' : r.method === 'DELETE' ? 'drafts.delete' : 'drafts.get';
  if (tail === 'messages') return 'messages.list';
  if (tail.startsWith('messages/')) return 'messages.get';
  if (tail.startsWith('threads/')) return 'threads.get';
  return undefined;
}

/** Google counts a request against the read quota by its method, not its verb (data-filter reads are POSTs). */
function isSheetsRead(r: LoggedRequest): boolean {
  const route = matchRoute(r.method, r.path.split('?')[0] ?? r.path);
  return route ? READ_METHODS.has(route.method) : r.method === 'GET';
}

/** Requests the emulators served with `at` in [from, to] (simulated or real ms, as the clock ran). */
export function trafficBetween(world: EmulatedWorld, from: number, to: number): Traffic {
  const within = (log: readonly LoggedRequest[]) => log.filter((r) => r.at >= from && r.at <= to);
  const sheets = within(world.sheets.requests.all());
  const trello = within(world.trello.requests.all());
  const gmail = within(world.gmail.requests.all());
  const openai = within(world.openai.requests.all());
  const rateLimited = [...sheets, ...trello, ...openai].filter((r) => r.status === 429).length;
  const gmailLimited = gmail.filter((r) => r.status === 429 || r.status === 403).length;
  const okGmail = gmail.filter((r) => accepted(r) && r.status < 400);
  return {
    sheetsReads: sheets.filter((r) => accepted(r) && isSheetsRead(r)).length,
    sheetsWrites: sheets.filter((r) => accepted(r) && !isSheetsRead(r)).length,
    trelloRequests: trello.filter(accepted).length,
    gmailUnits: okGmail.reduce((sum, r) => sum + (METHOD_UNITS[gmailMethod(r) ?? 'getProfile'] ?? 0), 0),
    gmailRequests: okGmail.length,
    modelCalls: openai.filter((r) => accepted(r) && r.method === 'POST').length,
    rateLimited: rateLimited + gmailLimited,
    truncated: [world.sheets, world.trello, world.gmail, world.openai].some(
      (e) => e.requests.all().length >= 5000,
    ),
  };
}

export interface BoundTerm {
  resource: string;
  count: number;
  rate: string;
  ms: number;
}

/**
 * Earliest moment the n-th request may be sent through a sliding window of `limit` per `intervalMs`
 * that starts full: (⌈n / limit⌉ − 1) × interval. That is n ÷ rate, less the one window the
 * quota allows at once at the start.
 */
export function windowBoundMs(n: number, limit: number, intervalMs: number): number {
  return n <= 0 ? 0 : (Math.ceil(n / limit) - 1) * intervalMs;
}

/**
 * The lower bound on the time a workload needs: the largest of each rate-limited resource's bound
 * (`windowBoundMs`) and the model's, ⌈calls ÷ concurrency⌉ × latency.
 */
export function lowerBound(
  traffic: Traffic,
  model: { concurrency: number; latencyMs: number },
): { ms: number; by: string; terms: BoundTerm[] } {
  const term = (resource: string, count: number, l: { limit: number; intervalMs: number; what: string }) => ({
    resource,
    count,
    rate: l.what,
    ms: windowBoundMs(count, l.limit, l.intervalMs),
  });
  const terms: BoundTerm[] = [
    term('sheets reads', traffic.sheetsReads, LIMITS.sheetsReads),
    term('sheets writes', traffic.sheetsWrites, LIMITS.sheetsWrites),
    term('trello requests', traffic.trelloRequests, LIMITS.trello),
    term('gmail units', traffic.gmailUnits, LIMITS.gmailUnits),
    {
      resource: 'model calls',
      count: traffic.modelCalls,
      rate: `${model.concurrency} at once × ${model.latencyMs} ms`,
      ms: Math.ceil(traffic.modelCalls / model.concurrency) * model.latencyMs,
    },
  ];
  const top = terms.reduce((a, b) => (b.ms > a.ms ? b : a));
  return { ms: top.ms, by: top.resource, terms };
}
