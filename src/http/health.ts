import { Router } from "express";
import type { Services } from "../services";

/** A readiness check that takes longer than this counts as a failure. */
const CHECK_TIMEOUT_MS = 1000;

/**
 * `/healthz`: the process is alive (no I/O, so it answers while the database is down or busy).
 * `/readyz`: the database answers, storage is usable and the job queue's schema is there, each within a second: 200 when this node
 * can take traffic, else 503 naming what is wrong. A full disk still serves reads, so it is
 * reported (`storage: "full"`) without making the node unready.
 */
export function healthRoutes(services: Services): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const [database, storage, queue] = await Promise.all([
      within(CHECK_TIMEOUT_MS, services.db.query("SELECT 1").then(() => "ok" as const)),
      within(CHECK_TIMEOUT_MS, services.storage.check()),
      // The job queue lives in the same database, in pg-boss's own schema.
      within(CHECK_TIMEOUT_MS, services.db.query("SELECT 1 FROM pgboss.version").then(() => "ok" as const)),
    ]);
    const ready = database === "ok" && storage !== "error" && queue === "ok";
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "unavailable", database, storage, queue });
  });
  return router;
}

async function within<T extends string>(ms: number, check: Promise<T>): Promise<T | "error"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"error">((resolve) => (timer = setTimeout(() => resolve("error"), ms)));
  try {
    return await Promise.race([check.catch(() => "error" as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
