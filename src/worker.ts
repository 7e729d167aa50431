import "reflect-metadata";
import { startRuntime } from "./bootstrap";
import { loadProcessConfig } from "./config";
import { createLogger } from "./logger";
import { guardProcess } from "./process-guard";
import { stopOnSignals } from "./shutdown";

/**
 * `npm run worker`: a process that only makes derivatives. Run as many as you like, on as many
 * machines as share the database (and storage); jobs are claimed so no two do the same one.
 */
async function main(): Promise<void> {
  const config = loadProcessConfig();
  const log = createLogger(config);
  guardProcess(log);
  const runtime = await startRuntime(config, log, { workers: Math.max(1, config.workerConcurrency) });
  process.stdout.write(`Asset Library worker ${process.pid} is processing jobs (${Math.max(1, config.workerConcurrency)} at a time)\n`);

  stopOnSignals(log, () => runtime.close());
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
