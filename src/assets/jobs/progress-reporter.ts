/** Progress notes at most this often (the first and the last always go). */
const MIN_INTERVAL_MS = 1_000;

/**
 * Sends progress one note at a time, in order, dropping notes that come faster than
 * MIN_INTERVAL_MS; `settled()` waits for what was sent. A note that fails is logged, never
 * fails the job.
 */
export function progressReporter(send: (fraction: number, step: string) => Promise<void>, onError: (error: unknown) => void) {
  let chain: Promise<void> = Promise.resolve();
  let lastSent = 0;
  let lastStep = "";
  return {
    report: (fraction: number, step: string): void => {
      const now = Date.now();
      // A new step always goes out; within a step, at most one note per interval.
      if (step === lastStep && now - lastSent < MIN_INTERVAL_MS && fraction < 1) return;
      lastSent = now;
      lastStep = step;
      chain = chain.then(() => send(fraction, step)).catch(onError);
    },
    settled: (): Promise<void> => chain,
  };
}
