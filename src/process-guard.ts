import type { Logger } from "pino";
import { toAppError } from "./errors";

/**
 * Keeps the process up through faults that belong to the database, the queue or storage. A library
 * that lets a promise reject unobserved (the job queue's maintenance when the database restarts)
 * or emits an `error` no one listens to for a dropped connection is logged and survived: requests
 * meanwhile answer 503 and the pools reconnect. Any other uncaught exception leaves the process in
 * an unknown state, so it is logged and the process exits for its supervisor to restart.
 */
export function guardProcess(log: Logger): void {
  process.on("unhandledRejection", (reason) => {
    log.error({ err: reason }, "unhandled promise rejection; the process keeps running");
  });
  process.on("uncaughtException", (error) => {
    if (toAppError(error).code === "SERVICE_UNAVAILABLE") {
      log.error({ err: error }, "uncaught connection error; the process keeps running");
      return;
    }
    log.fatal({ err: error }, "uncaught exception; exiting");
    process.exit(1);
  });
}
