// Gmail's per-user quota (units per method over a sliding minute) and the scopes each method accepts.
import type { Clock } from '../../clock.ts';

export type GmailMethod =
  | 'getProfile'
  | 'drafts.create'
  | 'drafts.delete'
  | 'drafts.get'
  | 'drafts.list'
  | 'drafts.send'
  | 'drafts.update'
  | 'history.list'
  | 'messages.get'
  | 'messages.list'
  | 'messages.send'
  | 'threads.get';

/** Quota units per call, from Gmail's "Usage limits" page. */
export const METHOD_UNITS: Record<GmailMethod, number> = {
  getProfile: 1,
  'drafts.create': 10,
  'drafts.delete': 10,
  'drafts.get': 5,
  'drafts.list': 5,
  'drafts.send': 100,
  'drafts.update': 15,
  'history.list': 2,
  'messages.get': 5,
  'messages.list': 5,
  'messages.send': 100,
  'threads.get': 10,
};

const SCOPE = {
  full: 'https://mail.google.com/',
  modify: 'https://www.googleapis.com/auth/gmail.modify',
  compose: 'https://www.googleapis.com/auth/gmail.compose',
  readonly: 'https://www.googleapis.com/auth/gmail.readonly',
  metadata: 'https://www.googleapis.com/auth/gmail.metadata',
  send: 'https://www.googleapis.com/auth/gmail.send',
} as const;

export const METADATA_SCOPE = SCOPE.metadata;

const WRITE = [SCOPE.full, SCOPE.modify, SCOPE.compose];
const READ_DRAFTS = [...WRITE, SCOPE.readonly];
const READ_MAIL = [SCOPE.full, SCOPE.modify, SCOPE.readonly, SCOPE.metadata];

/** Any one of these scopes authorizes the method (the method reference's "Authorization scopes"). */
export const METHOD_SCOPES: Record<GmailMethod, string[]> = {
  getProfile: [...READ_DRAFTS, SCOPE.metadata],
  'drafts.create': WRITE,
  'drafts.delete': WRITE,
  'drafts.get': READ_DRAFTS,
  'drafts.list': READ_DRAFTS,
  'drafts.send': WRITE,
  'drafts.update': WRITE,
  'history.list': READ_MAIL,
  'messages.get': READ_MAIL,
  'messages.list': READ_MAIL,
  'messages.send': [...WRITE, SCOPE.send],
  'threads.get': READ_MAIL,
};

/** Units spent per key over the last `intervalMs` of the clock's time. */
export class UnitWindow {
  readonly #spent = new Map<string, { at: number; units: number }[]>();

  constructor(
    private readonly clock: Clock,
    public limit: number,
    public intervalMs = 60_000,
  ) {}

  /** Spends `units` for `key`; false (and nothing spent) when that would exceed the limit. */
  take(key: string, units: number): boolean {
    const recent = this.#recent(key);
    const used = recent.reduce((sum, e) => sum + e.units, 0);
    if (used + units > this.limit) return false;
    recent.push({ at: this.clock.now(), units });
    return true;
  }

  /** When `key` may spend `units` again (ms from now). */
  retryAfterMs(key: string, units: number): number {
    const recent = this.#recent(key);
    let used = recent.reduce((sum, e) => sum + e.units, 0);
    if (used + units <= this.limit) return 0;
    for (const entry of recent) {
      used -= entry.units;
      if (used + units <= this.limit) return Math.max(0, entry.at + this.intervalMs - this.clock.now());
    }
    return this.intervalMs;
  }

  reset(): void {
    this.#spent.clear();
  }

  #recent(key: string): { at: number; units: number }[] {
    const now = this.clock.now();
    const recent = (this.#spent.get(key) ?? []).filter((e) => e.at > now - this.intervalMs);
    this.#spent.set(key, recent);
    return recent;
  }
}
