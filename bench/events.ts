import { randomUUID } from "node:crypto";
import fsp from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type { Client as WsClient } from "graphql-ws";
import { Client } from "pg";
import sharp from "sharp";
import { ASSET_EVENTS_CHANNEL } from "../src/assets/activity/activity.repository";
import { signedHeaders } from "../src/assets/webhooks/webhook-signature";
import { signToken } from "../src/auth/tokens";
import { startRuntime } from "../src/bootstrap";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/logger";
import { round3 } from "./measure";
import { assetEventsClient } from "./live-status";
import { startServerProcess, type ServerProcess } from "./server-process";

const OTHER_SUBSCRIBERS = 50;
const SEQUENTIAL_CHANGES = 200;
const CONCURRENT_CLIENTS = 10;
const CONCURRENT_CHANGES = 300;
const ASSETS = 50;
const WEBHOOK_EVENTS = 500;
const WEBHOOK_CONCURRENCY = 4;

/**
 * Live events and webhooks (issue 14), on one API process with one worker over its own embedded
 * PostgreSQL:
 * - commit to subscriber: a raw LISTEN connection in this process hears each commit's NOTIFY; the
 *   graphql-ws subscriber hears the same event through the service (its LISTEN connection, the
 *   ownership filter, the GraphQL execution, the socket). The figure is the subscriber's lag
 *   behind the raw listener, with the raw listener's own time from request to commit beside it;
 *   one change at a time, then ten clients at once, with fifty other users' sockets subscribed.
 * - webhook throughput: 500 events (ten bulk taggings of fifty assets) delivered to a receiver on
 *   loopback, against this process POSTing the same signed bodies to the same receiver at the same
 *   concurrency (the HTTP floor of a delivery).
 */
export async function benchEvents() {
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), "events-bench-"));
  await fsp.chmod(work, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: path.join(work, "db"), LOG_LEVEL: "warn", PORT: "0" };
  delete env.DATABASE_URL;
  const config = loadConfig(env);
  const database = await startRuntime(config, createLogger(config), { workers: 0 });
  const secret = `bench-${randomUUID()}-secret-material`;
  const server = await startServerProcess(path.join(work, "api"), secret, {
    DATABASE_URL: database.database.url,
    STORAGE_DIR: path.join(work, "storage"),
    WORKER_CONCURRENCY: "1",
    WEBHOOK_ALLOW_PRIVATE: "true",
    WEBHOOK_CONCURRENCY: String(WEBHOOK_CONCURRENCY),
  });
  const raw = new Client({ connectionString: database.database.url });
  const sockets: WsClient[] = [];
  try {
    const userId = randomUUID();
    const token = await signToken(secret, userId);
    const assets = await uploadAssets(server, token);
    await raw.connect();
    const heardRaw = new Map<string, number>();
    raw.on("notification", (n) => {
      const event = JSON.parse(n.payload ?? "{}");
      if (event.activityId) heardRaw.set(event.activityId, performance.now());
    });
    await raw.query(`LISTEN ${ASSET_EVENTS_CHANNEL}`);

    const heard = new Map<string, number>();
    const fields = "activityId assetId type actor createdAt after";
    sockets.push(assetEventsClient<{ activityId: string | null }>(server.baseUrl, token, fields, (event) => event.activityId && heard.set(event.activityId, performance.now())));
    for (let i = 0; i < OTHER_SUBSCRIBERS; i++) sockets.push(assetEventsClient(server.baseUrl, await signToken(secret, randomUUID()), fields, () => undefined));
    // Subscriptions are registered when their first message lands: change until one is heard.
    for (let n = 0; heard.size === 0; n++) {
      await rename(server, token, assets[0], `warm-up ${n}`);
      await sleep(100);
    }

    const latency = async (changes: number, clients: number) => {
      const samples: Array<{ request: number; subscriberLag: number; commit: number }> = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: clients }, async (_, client) => {
          while (next < changes) {
            const n = next++;
            const started = performance.now();
            const activityId = await rename(server, token, assets[client % assets.length], `change ${clients}-${n}`);
            await until(() => heard.has(activityId) && heardRaw.has(activityId));
            const [rawAt, subscriberAt] = [heardRaw.get(activityId)!, heard.get(activityId)!];
            samples.push({ request: performance.now() - started, subscriberLag: subscriberAt - rawAt, commit: rawAt - started });
          }
        }),
      );
      return {
        changes,
        concurrent_clients: clients,
        subscriber_after_commit_ms: percentiles(samples.map((s) => s.subscriberLag)),
        raw_listener_request_to_commit_ms: percentiles(samples.map((s) => s.commit)),
        ratio_subscriber_to_raw_listener_p95: round3(percentile(samples.map((s) => s.commit + s.subscriberLag), 95) / percentile(samples.map((s) => s.commit), 95)),
      };
    };
    const eventLatency = {
      other_users_subscribed: OTHER_SUBSCRIBERS,
      one_at_a_time: await latency(SEQUENTIAL_CHANGES, 1),
      contended: await latency(CONCURRENT_CHANGES, CONCURRENT_CLIENTS),
    };
    return { event_latency: eventLatency, webhook_throughput: await webhookThroughput(server, token, assets) };
  } finally {
    for (const socket of sockets) await socket.dispose();
    await raw.end().catch(() => undefined);
    await server.stop();
    await database.close();
    await fsp.rm(work, { recursive: true, force: true });
  }
}

async function webhookThroughput(server: ServerProcess, token: string, assets: string[]) {
  const receiver = await startReceiver();
  try {
    const created = await call(server, token, "POST", "/v1/webhooks", { url: receiver.url, events: ["asset.tagged"] });
    const started = performance.now();
    for (let round = 0; receiver.ids.size < WEBHOOK_EVENTS; round++) {
      if (round < WEBHOOK_EVENTS / assets.length) await call(server, token, "POST", "/v1/assets/tags/bulk", { asset_ids: assets, tags: [`bulk-${round}`] });
      else await sleep(5);
    }
    const serviceSeconds = (performance.now() - started) / 1000;
    const sample = receiver.bodies[0];

    // The floor: the same number of signed bodies POSTed from here, WEBHOOK_CONCURRENCY at a time, without keep-alive (as the sender).
    receiver.ids.clear();
    const floorStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: WEBHOOK_CONCURRENCY }, async () => {
        while (next < WEBHOOK_EVENTS) {
          next++;
          await postSigned(receiver.url, created.secret, randomUUID(), sample);
        }
      }),
    );
    const floorSeconds = (performance.now() - floorStarted) / 1000;
    const log = await call(server, token, "GET", `/v1/webhooks/${created.webhook_id}/deliveries?limit=100`);
    return {
      events: WEBHOOK_EVENTS,
      concurrency: WEBHOOK_CONCURRENCY,
      service_seconds: round3(serviceSeconds),
      service_deliveries_per_s: round3(WEBHOOK_EVENTS / serviceSeconds),
      http_floor_deliveries_per_s: round3(WEBHOOK_EVENTS / floorSeconds),
      ratio_to_http_floor: round3(floorSeconds / serviceSeconds),
      first_attempt_latency_ms_p50: percentile(log.items.map((d: any) => d.attempts[0].latency_ms), 50),
      note: "service time runs from the first bulk tagging request to the last delivery received; each delivery is a pg-boss job with its attempt logged",
    };
  } finally {
    await receiver.close();
  }
}

async function uploadAssets(server: ServerProcess, token: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < ASSETS; i++) {
    const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: i * 5, g: 100, b: 200 - i } } }).png().toBuffer();
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(png)]), `event-${i}.png`);
    const response = await fetch(`${server.baseUrl}/v1/assets/upload`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form });
    if (response.status !== 201) throw new Error(`upload answered ${response.status}: ${await response.text()}`);
    ids.push(((await response.json()) as { asset_id: string }).asset_id);
  }
  // Processing done first, so its own events and jobs do not share the measurement.
  for (const id of ids) {
    while ((await call(server, token, "GET", `/v1/assets/${id}`)).status === "processing") await sleep(50);
  }
  return ids;
}

/** Renames an asset; returns the activity id of the change (the newest entry of its history). */
async function rename(server: ServerProcess, token: string, assetId: string, name: string): Promise<string> {
  await call(server, token, "PUT", `/v1/assets/${assetId}`, { name });
  return (await call(server, token, "GET", `/v1/assets/${assetId}/activity?limit=1`)).items[0].activity_id;
}

async function call(server: ServerProcess, token: string, method: string, url: string, body?: unknown): Promise<any> {
  const response = await fetch(`${server.baseUrl}${url}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (response.status >= 300) throw new Error(`${method} ${url} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function startReceiver() {
  const ids = new Set<string>();
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      ids.add(String(req.headers["webhook-id"]));
      if (bodies.length === 0) bodies.push(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, ids, bodies, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

function postSigned(url: string, secret: string, id: string, body: string): Promise<void> {
  const headers = signedHeaders(secret, id, Math.floor(Date.now() / 1000), body);
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", agent: false, headers: { ...headers, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } }, (response) => {
      response.resume();
      response.on("end", () => resolve());
    });
    request.on("error", reject);
    request.end(body);
  });
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("event not heard in time");
    await sleep(1);
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return round3(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}

function percentiles(values: number[]) {
  return { p50: percentile(values, 50), p95: percentile(values, 95) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
