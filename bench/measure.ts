import { performance } from "node:perf_hooks";

/** The middle value (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** How long `run` takes, in seconds. */
export async function timedSeconds(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return (performance.now() - start) / 1000;
}

/** Rounded to three decimals, as every figure in the bench's JSON. */
export const round3 = (n: number) => Math.round(n * 1000) / 1000;
