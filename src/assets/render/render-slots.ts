import { AppError, RETRY_AFTER_SECONDS } from "../../errors";

/**
 * At most `concurrency` renders at once in this process (each is a full decode and encode, and
 * libvips already spreads one over the cores); up to `queue` more wait their turn, and past that
 * a request is SERVICE_UNAVAILABLE with a Retry-After rather than a growing backlog of memory.
 */
export class RenderSlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly concurrency: number,
    private readonly queue: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) {
        throw new AppError("SERVICE_UNAVAILABLE", "Too many renders are waiting; try again shortly", { retry_after_seconds: RETRY_AFTER_SECONDS });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      // A waiter takes the slot over as it is freed, so `running` counts it already.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}

/** Concurrent calls with the same key share one run of the work and its outcome. */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  run(key: string, work: () => Promise<T>): Promise<T> {
    const current = this.inFlight.get(key);
    if (current) return current;
    const started = work().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
