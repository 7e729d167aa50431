import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startRuntime } from "../src/bootstrap";
import { signToken } from "../src/auth/tokens";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/logger";
import { startScript, startServerProcess } from "./server-process";

const FIXTURES = path.join(__dirname, "..", "test", "fixtures");
/** A mix a library receives: videos (poster and clip: ffmpeg) and photos (sharp). */
const SOURCES = ["video/mp4-h264-aac-854x480-edit-list.mp4", "video/webm-vp8-vorbis-640x356.webm", "image/jpg-progressive-file-type-logo-3000x1438.jpg"];
const COPIES = 6;

/**
 * Derivative throughput with one and with two `npm run worker` processes (one job at a time
 * each) on one database and one storage directory: the same queued uploads, the time until all
 * are ready. The API process runs no workers; this process only provides the database.
 */
export async function benchWorkerScaling() {
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), "worker-scaling-"));
  await fsp.chmod(work, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: path.join(work, "db"), LOG_LEVEL: "warn", PORT: "0" };
  delete env.DATABASE_URL;
  const config = loadConfig(env);
  const runtime = await startRuntime(config, createLogger(config), { workers: 0 });
  const secret = `bench-${randomUUID()}-secret-material`;
  const shared = { DATABASE_URL: runtime.database.url, STORAGE_DIR: path.join(work, "storage"), AUTH_SECRET: secret };
  const api = await startServerProcess(path.join(work, "api"), secret, shared);
  try {
    const token = await signToken(secret, randomUUID());
    const results: Record<string, { jobs: number; seconds: number; jobs_per_s: number }> = {};
    for (const workers of [1, 2]) {
      const ids = await queueUploads(api.baseUrl, token);
      const started = performance.now();
      const processes = await Promise.all(Array.from({ length: workers }, (_, n) => startWorker(path.join(work, `worker-${workers}-${n}`), shared)));
      for (;;) {
        const [{ waiting }] = await runtime.services.db.query(`SELECT count(*)::int AS waiting FROM assets WHERE asset_id = ANY($1) AND status = 'processing'`, [ids]);
        if (waiting === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const seconds = (performance.now() - started) / 1000;
      for (const child of processes) await stop(child);
      results[`${workers}_worker${workers > 1 ? "s" : ""}`] = { jobs: ids.length, seconds: round(seconds), jobs_per_s: round(ids.length / seconds) };
    }
    return {
      ...results,
      speedup_with_two: round(results["1_worker"].seconds / results["2_workers"].seconds),
      cores: os.cpus().length,
      goal: { speedup_with_two: 1.7 },
      note: "each time includes starting the worker processes (about a second); sharp and ffmpeg already use both cores inside one job",
    };
  } finally {
    await api.stop();
    await runtime.close();
    await fsp.rm(work, { recursive: true, force: true });
  }
}

async function queueUploads(baseUrl: string, token: string): Promise<string[]> {
  const ids: string[] = [];
  for (let copy = 0; copy < COPIES; copy++) {
    for (const source of SOURCES) {
      const form = new FormData();
      form.append("on_duplicate", "keep");
      form.append("file", await fs.openAsBlob(path.join(FIXTURES, source)), `${copy}-${path.basename(source)}`);
      const response = await fetch(`${baseUrl}/v1/assets/upload`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form });
      if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
      ids.push(((await response.json()) as { asset_id: string }).asset_id);
    }
  }
  return ids;
}

function startWorker(dataDir: string, shared: Record<string, string>): Promise<ChildProcess> {
  return startScript("src/worker.ts", { ...shared, DATA_DIR: dataDir, LOG_LEVEL: "info", WORKER_CONCURRENCY: "1" }, "derivative workers started");
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

const round = (n: number) => Math.round(n * 100) / 100;
