/**
 * A counting semaphore shared by every LLM call (suggestions, prefetches, re-judging). The
 * exports pool (runPool) bounds one batch; suggestions arrive one call at a time from the
 * view, so the bound has to live across calls.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = Math.max(1, limit);
    this.drain();
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.drain();
    });
    try {
      return await fn();
    } finally {
      this.active--;
      this.drain();
    }
  }

  private drain(): void {
    while (this.active < this.limit && this.waiting.length) {
      this.active++;
      this.waiting.shift()!();
    }
  }
}
