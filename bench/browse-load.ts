import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { signToken } from "../src/auth/tokens";
import { freePort } from "../src/free-port";
import { GRID_PAGE } from "../test/grid-page";
import { cpuSecondsOf, startServerProcess } from "./server-process";

const CLIENTS = 10;
const SECONDS = 8;

/**
 * A full page of 100 with facets, newest first, for the 200,000-asset user, at 10 concurrent
 * keep-alive clients for 8 s each: over REST, and over GraphQL with every field a grid needs.
 * The service runs in its own process (no workers) on the bench's database. The baseline is the
 * same load against a minimal Node server in its own process answering the same REST bytes.
 */
export async function browseLoad(databaseUrl: string, userId: string, workDir: string) {
  const secret = "bench-browse-load-secret-0123456789abcdef";
  const server = await startServerProcess(path.join(workDir, "load-data"), secret, { DATABASE_URL: databaseUrl });
  const token = await signToken(secret, userId);
  const auth = { Authorization: `Bearer ${token}` };
  try {
    const restUrl = `${server.baseUrl}/v1/assets?limit=100`;
    const page = await (await fetch(restUrl, { headers: auth })).text();
    const graphqlBody = JSON.stringify({ query: GRID_PAGE, variables: { first: 100 } });
    const check = await (await fetch(`${server.baseUrl}/graphql`, { method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: graphqlBody })).json() as { errors?: unknown; data?: { assets: { nodes: unknown[] } } };
    if (check.errors || check.data?.assets.nodes.length !== 100) throw new Error(`GraphQL page failed: ${JSON.stringify(check).slice(0, 300)}`);

    const floor = await startFloorServer(workDir, page);
    try {
      const floorLoad = await load(() => send(floor.url), floor.pid);
      const rest = await load(() => send(restUrl, { headers: auth }), server.pid);
      const graphql = await load(() => send(`${server.baseUrl}/graphql`, { method: "POST", headers: { ...auth, "Content-Type": "application/json" }, body: graphqlBody }), server.pid);
      return {
        clients: CLIENTS,
        seconds_each: SECONDS,
        page_bytes: page.length,
        rest_page_100: { ...rest, ratio_to_floor_rps: round(rest.requests_per_s / floorLoad.requests_per_s) },
        graphql_grid_page_100: { ...graphql, ratio_to_floor_rps: round(graphql.requests_per_s / floorLoad.requests_per_s) },
        floor_static_same_bytes: floorLoad,
        goal: { requests_per_s: 150, p97_5_ms: 150 },
      };
    } finally {
      floor.stop();
    }
  } finally {
    await server.stop();
  }
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });

/**
 * One request over a kept-alive connection, its body counted and dropped, as autocannon does: the
 * load's client shares the machine's two cores with the service and PostgreSQL, and fetch
 * spent about 2 ms of CPU per 110 KB page reading it (the service's own was about 5.5 ms).
 */
function send(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: init.method ?? "GET", headers: init.headers, agent }, (response) => {
      let bytes = 0;
      response.on("data", (chunk: Buffer) => (bytes += chunk.length));
      response.on("end", () => (response.statusCode === 200 && bytes > 0 ? resolve(bytes) : reject(new Error(`${url} answered ${response.statusCode}`))));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(init.body);
  });
}

/**
 * CLIENTS loops, each sending its next request as soon as the last is answered, for SECONDS; with
 * the serving process's CPU per request (steadier than requests/s on a shared two-core machine)
 * and the load client's own (this process), which the same cores pay for.
 */
export async function load(request: () => Promise<unknown>, serverPid: number) {
  for (let i = 0; i < CLIENTS * 3; i++) await request();
  const latencies: number[] = [];
  const cpuBefore = await cpuSecondsOf(serverPid);
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await request();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpuMs = ((await cpuSecondsOf(serverPid)) - cpuBefore) * 1000;
  const client = process.cpuUsage(clientBefore);
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))]);
  return {
    requests: latencies.length,
    requests_per_s: round(latencies.length / elapsed),
    p50_ms: at(0.5),
    p97_5_ms: at(0.975),
    server_cpu_ms_per_request: round(cpuMs / latencies.length),
    client_cpu_ms_per_request: round((client.user + client.system) / 1000 / latencies.length),
  };
}

/** A Node HTTP server doing nothing but sending fixed bytes: the floor for serving a page over loopback. */
export async function startFloorServer(workDir: string, body: string | Buffer) {
  const file = path.join(workDir, "floor-page.json");
  await fs.writeFile(file, body);
  const port = await freePort();
  const script = `const body = require("fs").readFileSync(${JSON.stringify(file)});
    require("http").createServer((req, res) => { res.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length }); res.end(body); })
      .listen(${port}, "127.0.0.1", () => console.log("ready"));`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  return { url: `http://127.0.0.1:${port}/`, pid: child.pid!, stop: () => child.kill() };
}

const round = (n: number) => Math.round(n * 100) / 100;
