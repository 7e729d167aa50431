import "reflect-metadata";
import { startRuntime } from "./bootstrap";
import { loadProcessConfig } from "./config";
import express from "express";
import { metricsRoute } from "./http/metrics";
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
  // A worker serves no API; with METRICS_PORT and METRICS_TOKEN it serves its metrics (its own
  // job durations) for Prometheus to scrape, like an API process does.
  const metrics = config.metricsPort && config.metricsToken ? express().use(metricsRoute(config.metricsToken)).listen(config.metricsPort, config.host) : undefined;
  if (metrics) log.info({ port: config.metricsPort, host: config.host }, "worker metrics served");

  stopOnSignals(log, async () => {
    metrics?.close();
    await runtime.close();
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
