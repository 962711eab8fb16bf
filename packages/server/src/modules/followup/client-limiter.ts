// Wrong follow-up PINs per client, in memory only: the client's address is a key of this map for at
// most the window, never stored in the database nor logged.
export class ClientLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #max: number;
  readonly #windowMs: number;

  constructor(max: number, windowMs: number) {
    this.#max = max;
    this.#windowMs = windowMs;
  }

  /** Seconds to wait before trying again, or 0. */
  retryAfter(client: string, now = Date.now()): number {
    const recent = this.#recent(client, now);
    if (recent.length < this.#max) return 0;
    return Math.ceil(((recent[0] as number) + this.#windowMs - now) / 1000);
  }

  /** Counts a failure; true when this one makes the client wait. */
  fail(client: string, now = Date.now()): boolean {
    const recent = this.#recent(client, now);
    recent.push(now);
    this.#failures.set(client, recent);
    if (this.#failures.size > 100_000) this.#prune(now);
    return recent.length === this.#max;
  }

  #recent(client: string, now: number): number[] {
    return (this.#failures.get(client) ?? []).filter((t) => t > now - this.#windowMs);
  }

  #prune(now: number): void {
    for (const [client, times] of this.#failures) {
      if (times.every((t) => t <= now - this.#windowMs)) this.#failures.delete(client);
    }
  }
}
