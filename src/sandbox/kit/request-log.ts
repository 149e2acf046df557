// What an emulator was asked and what it answered: tests assert request counts and payload sizes.

export interface LoggedRequest {
  method: string;
  /** Path plus query string, e.g. `/v4/spreadsheets/abc/values/Leads!A1:Z1`. */
  path: string;
  status: number;
  /** Size of the response body in bytes. */
  bytes: number;
  at: number;
}

export class RequestLog {
  #entries: LoggedRequest[] = [];

  add(entry: LoggedRequest): void {
    this.#entries.push(entry);
    // Bounded so a long sandbox session does not grow without limit.
    if (this.#entries.length > 5000) this.#entries.splice(0, this.#entries.length - 5000);
  }

  all(): readonly LoggedRequest[] {
    return this.#entries;
  }

  /** Requests matching a method and/or a path pattern. */
  filter(match: { method?: string; path?: RegExp } = {}): LoggedRequest[] {
    return this.#entries.filter(
      (e) => (!match.method || e.method === match.method) && (!match.path || match.path.test(e.path)),
    );
  }

  count(match: { method?: string; path?: RegExp } = {}): number {
    return this.filter(match).length;
  }

  clear(): void {
    this.#entries = [];
  }
}
