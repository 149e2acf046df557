// The common frame of every emulator: request log, injected faults and latency around each handler.
import { delay } from 'msw';
import { type Clock, systemClock } from '../../clock.ts';
import { droppedConnection, FaultPlan } from './faults.ts';
import { RequestLog } from './request-log.ts';

export interface EmulatorOptions {
  clock?: Clock;
}

/**
 * Base for a stateful service emulator. Subclasses build msw handlers whose resolvers go through
 * `serve`, which applies injected faults, logs the exchange and renders the service's own error
 * body (via `errorResponse`) for injected failures.
 */
export abstract class Emulator {
  readonly faults: FaultPlan;
  readonly requests = new RequestLog();
  readonly clock: Clock;

  constructor(options: EmulatorOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.faults = new FaultPlan(this.clock);
  }

  /** The service's own error body for `status` (each API words these differently). */
  protected abstract errorResponse(
    status: number,
    message: string,
    headers?: Record<string, string>,
  ): Response;

  /** Wraps one handler: faults first, then the handler; the exchange is logged either way. */
  protected async serve(request: Request, handle: () => Promise<Response> | Response): Promise<Response> {
    const url = new URL(request.url);
    // Credentials in query strings (Trello's key and token) stay out of the log.
    const search = url.search.replace(/([?&](?:key|token|access_token|api_key)=)[^&]*/g, '$1redacted');
    const path = url.pathname + search;
    if (this.faults.latencyMs > 0) await delay(this.faults.latencyMs);
    const fault = this.faults.take(path);
    let response: Response;
    if (fault && 'drop' in fault) {
      this.requests.add({ method: request.method, path, status: 0, bytes: 0, at: this.clock.now() });
      return droppedConnection();
    }
    if (fault) {
      response = this.errorResponse(fault.status, injectedMessage(fault.status), fault.headers);
    } else {
      try {
        response = await handle();
      } catch (err) {
        if (err instanceof Response) response = err;
        else throw err;
      }
    }
    const bytes = Number(
      response.headers.get('content-length') ?? (await response.clone().arrayBuffer()).byteLength,
    );
    this.requests.add({ method: request.method, path, status: response.status, bytes, at: this.clock.now() });
    return response;
  }
}

function injectedMessage(status: number): string {
  if (status === 429) return 'Rate limit exceeded';
  if (status === 503) return 'The service is currently unavailable.';
  if (status >= 500) return 'Internal error encountered.';
  return `Request failed with status ${status}`;
}
