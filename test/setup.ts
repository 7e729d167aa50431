import "reflect-metadata";
import fs from "node:fs/promises";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { createHttpApp, type HttpApp } from "../src/app";
import { startRuntime, type Runtime } from "../src/bootstrap";
import { loadConfig } from "../src/config";
import { freePort } from "../src/free-port";
import { listen } from "../src/http/server";
import { createLogger } from "../src/logger";
import { keptCountDifferences } from "./kept-counts";
import { startS3rver, type S3Endpoint } from "./s3rver-process";

/**
 * One real service for the whole run: PostgreSQL from DATABASE_URL (CI makes a fresh database)
 * or the embedded one in a temporary directory, storage in a temporary directory (or, with
 * TEST_STORAGE=s3, in s3rver started for the run), real sharp and ffmpeg, the real express app on
 * a loopback port. Each test makes its own users.
 */
export interface TestService {
  baseUrl: string;
  runtime: Runtime;
  storageDir: string;
  stagingDir: string;
  /** The storage variables the service runs with (S3's under TEST_STORAGE=s3), for processes that share its storage. */
  storageEnv: Record<string, string>;
}

let service: TestService | undefined;
let server: Server | undefined;
let http: HttpApp | undefined;
let tempDir: string | undefined;
let s3: S3Endpoint | undefined;

export function testService(): TestService {
  if (!service) throw new Error("the test service is not running");
  return service;
}

/** The newest log lines of the test service, parsed. */
export const serviceLogLines: Array<Record<string, any>> = [];
const KEPT_LOG_LINES = 20_000;
const memorySink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split("\n")) if (line) serviceLogLines.push(JSON.parse(line));
    if (serviceLogLines.length > KEPT_LOG_LINES) serviceLogLines.splice(0, serviceLogLines.length - KEPT_LOG_LINES);
    done();
  },
});

export const TEST_AUTH_SECRET = "test-secret-that-is-at-least-32-bytes-long";

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(120_000);
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), "asset-library-test-"));
    // The embedded PostgreSQL runs as the `postgres` user, which must be able to enter this directory.
    await fs.chmod(tempDir, 0o755);
    const port = await freePort();
    if (process.env.TEST_STORAGE === "s3") {
      s3 = await startS3rver();
    }
    const config = loadConfig({
      ...process.env,
      ...(s3?.env ?? {}),
      NODE_ENV: "test",
      DATA_DIR: tempDir,
      STORAGE_DIR: path.join(tempDir, "storage"),
      AUTH_SECRET: TEST_AUTH_SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
      MEDIA_TOOL_TIMEOUT_MS: "20000",
      QUEUE_MAINTENANCE_SECONDS: "1",
      // A job whose worker was killed is retried after this long (test/workers.test.ts kills one).
      JOB_TIMEOUT_SECONDS: "20",
      // The webhook receivers of test/webhooks.test.ts listen on loopback; retries come quickly.
      WEBHOOK_ALLOW_PRIVATE: "true",
      WEBHOOK_RETRY_DELAY_SECONDS: "1",
      WEBHOOK_MAX_ATTEMPTS: "4",
      WEBHOOK_TIMEOUT_MS: "2000",
      WEBHOOK_DISABLE_AFTER_FAILURES: "2",
      // Slow-client bounds short enough for test/slow-clients.test.ts to watch them act.
      HTTP_HEADERS_TIMEOUT_MS: "1500",
      HTTP_IDLE_TIMEOUT_MS: "3000",
    });
    // Kept in memory (the newest lines) for tests that read what an operator would; LOG_LEVEL=… prints instead.
    const log = process.env.LOG_LEVEL ? createLogger(config) : createLogger(config, memorySink);
    const runtime = await startRuntime(config, log, { workers: 2 });
    http = await createHttpApp(runtime.services, log);
    server = await listen(http.app, config);
    http.serveSubscriptions(server);
    service = {
      baseUrl: `http://127.0.0.1:${port}`,
      runtime,
      storageDir: config.storageDir,
      stagingDir: path.join(config.storageDir, "tmp"),
      storageEnv: { STORAGE_DIR: config.storageDir, ...(s3?.env ?? {}) },
    };
  },

  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    // Whatever the suite did, the counts search reads must still equal a recount.
    const differences = service ? await keptCountDifferences() : [];
    await http?.stop();
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await service?.runtime.close();
    await s3?.stop();
    if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
    if (differences.length > 0) throw new Error(`kept counts differ from a recount after the suite: ${JSON.stringify(differences)}`);
  },
};
