// Answers that never arrive: the request is carried out, then its answer is lost on the way back.

interface LostPlan {
  remaining: number;
  method?: string;
  match?: RegExp;
  status?: number;
}

/**
 * Answers that never arrive. `loseNext(1, { method: 'POST', match: /\/1\/cards\?/ })` lets the next
 * matching request change the board, then drops the connection (or, with `status`, answers that
 * error instead), so a client cannot tell whether its write happened: the crash-between-effect-and-
 * journal case that idempotency markers exist for.
 */
export class LostResponses {
  #plans: LostPlan[] = [];

  loseNext(count: number, options: { method?: string; match?: RegExp; status?: number } = {}): this {
    this.#plans.push({ remaining: count, ...options });
    return this;
  }

  clear(): void {
    this.#plans = [];
  }

  /** Whether this request's answer is lost: undefined when not; `{}` to drop, `{ status }` to fail. */
  take(method: string, path: string): { status?: number } | undefined {
    const plan = this.#plans.find(
      (p) => p.remaining > 0 && (!p.method || p.method === method) && (!p.match || p.match.test(path)),
    );
    if (!plan) return undefined;
    plan.remaining--;
    this.#plans = this.#plans.filter((p) => p.remaining > 0);
    return plan.status ? { status: plan.status } : {};
  }
}
