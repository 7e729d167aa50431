import { expect } from "chai";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "../src/free-port";
import { startWorkerProcess } from "./worker-process";
import { startExtraApp, type ExtraApp } from "./extra-app";
import { FIXTURES, newUser, settled, uploadRest } from "./helpers";
import { testService } from "./setup";

const TOKEN = "metrics-token-for-the-scraper-0123456789";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * Prometheus's text exposition format, checked line by line (no lenient parsing): every line is
 * empty, a HELP or TYPE comment or a sample `name{label="value",…} number`, each sample's family
 * declared.
 */
function parseExposition(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  const sample = new RegExp(`^(${NAME})(?:\\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\.)*",?)*)\\})? (-?(?:[0-9.]+(?:e[+-]?[0-9]+)?|NaN|\\+Inf|-Inf))(?: -?[0-9]+)?$`);
  expect(text.endsWith("\n"), "ends with a newline").to.equal(true);
  for (const line of text.slice(0, -1).split("\n")) {
    const type = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`).exec(line);
    if (type) {
      expect(types.has(type[1]), `one TYPE line for ${type[1]}`).to.equal(false);
      types.set(type[1], type[2]);
      continue;
    }
    // The format ignores empty lines (prom-client puts one between families).
    if (line === "" || new RegExp(`^# HELP ${NAME} .*$`).test(line)) continue;
    const match = sample.exec(line);
    expect(match, `a valid sample line: ${line}`).to.not.equal(null);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match![2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    const family = match![1].replace(/_(bucket|sum|count|total|created)$/, "");
    expect(types.has(match![1]) || types.has(family), `a declared family for ${match![1]}`).to.equal(true);
    samples.push({ name: match![1], labels, value: Number(match![3].replace("+Inf", "Infinity")) });
  }
  return samples;
}

describe("Prometheus metrics at /metrics", function () {
  this.timeout(60_000);
  let app: ExtraApp;
  let base: string;

  before(async () => {
    app = await startExtraApp({ config: { metricsToken: TOKEN } });
    base = app.baseUrl;
  });

  after(() => app?.stop());

  it("serves valid exposition text with request latency by route, upload outcomes and bytes, job durations, queue depth and the pool", async () => {
    const user = await newUser();
    const { body } = await uploadRest(user, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"));
    await uploadRest(user, { bytes: Buffer.from("not really a png"), filename: "fake.png" });
    await settled(user, body.asset_id);
    await fetch(`${base}/v1/assets/${body.asset_id}`, { headers: user.auth });
    await fetch(`${base}/v1/no/such/path/${body.asset_id}`, { headers: user.auth });

    const response = await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.match(/^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(await response.text());
    const find = (name: string, labels: Record<string, string> = {}) =>
      samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

    const byRoute = find("http_request_duration_seconds_count", { method: "GET", route: "/v1/assets/:id", status: "200" });
    expect(byRoute.length).to.equal(1);
    expect(byRoute[0].value).to.be.at.least(1);
    expect(find("http_request_duration_seconds_count", { route: "unmatched", status: "404" }).length, "unknown paths share one series").to.equal(1);
    expect(samples.some((s) => s.name.startsWith("http_request_duration_seconds") && /[0-9a-f]{8}-/.test(s.labels.route ?? "")), "no ids in route labels").to.equal(false);

    expect(find("asset_uploads_total", { kind: "asset", asset_type: "image", outcome: "stored" })[0]?.value).to.be.at.least(1);
    expect(find("asset_uploads_total", { outcome: "MIME_MISMATCH" })[0]?.value ?? find("asset_uploads_total", { outcome: "INCOMPLETE_UPLOAD" })[0]?.value).to.be.at.least(1);
    expect(find("asset_upload_bytes_total", { asset_type: "image" })[0]?.value).to.be.at.least(body.file_size);
    expect(find("derivative_job_duration_seconds_count", { asset_type: "image", outcome: "made" })[0]?.value).to.be.at.least(1);
    expect(find("derivative_jobs").map((s) => s.labels.state).sort()).to.deep.equal(["active", "created", "retry"]);
    expect(find("db_pool_connections", { state: "open" })[0]?.value).to.be.at.least(1);
    expect(find("process_cpu_user_seconds_total").length).to.equal(1);
  });

  it("needs its own token, and does not exist unless METRICS_TOKEN is set", async () => {
    const user = await newUser();
    expect((await fetch(`${base}/metrics`)).status).to.equal(401);
    expect((await fetch(`${base}/metrics`, { headers: user.auth })).status, "a user's token is not the metrics token").to.equal(401);
    expect((await fetch(`${testService().baseUrl}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).to.equal(404);
  });

  it("is served by a worker process too (METRICS_PORT), with the job durations it ran", async () => {
    const workers = testService().runtime.workers!;
    // The service's own workers stand aside so the worker process takes the job.
    await workers.pause();
    const port = await freePort();
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "metrics-worker-"));
    const worker = await startWorkerProcess(dir, { METRICS_TOKEN: TOKEN, METRICS_PORT: String(port), HOST: "127.0.0.1" });
    try {
      const user = await newUser();
      const { body } = await uploadRest(user, path.join(FIXTURES, "image/gif-static-200x133.gif"));
      await settled(user, body.asset_id);
      const url = `http://127.0.0.1:${port}/metrics`;
      expect((await fetch(url)).status).to.equal(401);
      const samples = parseExposition(await (await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } })).text());
      const made = samples.find((s) => s.name === "derivative_job_duration_seconds_count" && s.labels.asset_type === "image" && s.labels.outcome === "made");
      expect(made?.value).to.be.at.least(1);
    } finally {
      await worker.kill();
      await workers.resume();
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });
});
