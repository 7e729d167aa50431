import { expect } from "chai";
import fs from "node:fs/promises";
import { openAsBlob } from "node:fs";
import path from "node:path";
import { Client } from "pg";
import { filesUnder, FIXTURES, newUser, type TestUser } from "./helpers";
import { OwnPostgres } from "./own-postgres";
import { startServiceProcess, type ServiceProcess } from "./service-process";

/**
 * The service in its own process on a PostgreSQL of the test's own, which the tests kill, restart,
 * freeze (SIGSTOP) and thaw: the process must live through it, answer 503 with Retry-After within
 * seconds meanwhile, and serve again by itself once the database is back.
 */
describe("a database that restarts or stalls", function () {
  this.timeout(180_000);
  let pg: OwnPostgres;
  let service: ServiceProcess;
  let user: TestUser;

  before(async () => {
    pg = await OwnPostgres.start();
    service = await startServiceProcess({
      DATABASE_URL: pg.url,
      WORKER_CONCURRENCY: "1",
      QUEUE_MAINTENANCE_SECONDS: "1",
      DB_CONNECT_TIMEOUT_MS: "1500",
      DB_QUERY_TIMEOUT_MS: "2000",
    });
    user = await newUser();
  });

  after(async () => {
    pg?.thaw();
    await service?.stop();
    if (service) await fs.rm(service.dataDir, { recursive: true, force: true });
    await pg?.stop();
  });

  const timed = async (url: string, init: RequestInit = {}) => {
    const started = Date.now();
    const response = await fetch(`${service.baseUrl}${url}`, { ...init, headers: { ...user.auth, ...(init.headers ?? {}) }, signal: AbortSignal.timeout(30_000) });
    const body = await response.text();
    return { status: response.status, retryAfter: response.headers.get("retry-after"), body, ms: Date.now() - started };
  };
  const graphql = (query: string) => timed("/graphql", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ query }) });
  const upload = async () => {
    const form = new FormData();
    form.append("file", await openAsBlob(path.join(FIXTURES, "image/png-rgb-8bit-200x133.png")), "during-outage.png");
    return timed("/v1/assets/upload", { method: "POST", body: form });
  };
  const servesAgain = async () => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const answer = await timed("/v1/assets");
      if (answer.status === 200) return;
      expect(answer.status, answer.body).to.equal(503);
      if (Date.now() > deadline) throw new Error("the service did not recover");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  it("lives through an immediate shutdown under load, answers 503 meanwhile, and serves again after the restart", async () => {
    expect((await timed("/v1/assets")).status).to.equal(200);
    let loading = true;
    const statuses: number[] = [];
    const load = (async () => {
      while (loading) {
        const [rest, gql] = await Promise.all([timed("/v1/assets"), graphql("{ assets(first: 5) { totalCount } }")]);
        statuses.push(rest.status, gql.status);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await pg.killImmediately();
    // Long enough for the queue's maintenance and workers to hit the dead database several times.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const during = await timed("/v1/assets");
    expect([during.status, during.retryAfter], during.body).to.deep.equal([503, "5"]);
    expect(JSON.parse(during.body).error.code).to.equal("SERVICE_UNAVAILABLE");
    expect(service.child.exitCode, service.output()).to.equal(null);
    await pg.restart();
    await servesAgain();
    loading = false;
    await load;
    expect(statuses.filter((s) => s !== 200 && s !== 503), "statuses other than 200 and 503").to.deep.equal([]);
    expect(statuses).to.include(503);
    expect(service.child.exitCode, service.output()).to.equal(null);
    expect((await upload()).status).to.equal(201);
  });

  it("answers within seconds while the database is frozen, keeps /healthz quick, and recovers when it thaws", async () => {
    const before = Number(JSON.parse((await timed("/v1/assets")).body).total);
    pg.freeze();
    try {
      const [read, query, stored, health, ready] = await Promise.all([
        timed("/v1/assets"),
        graphql("{ assets(first: 5) { totalCount } }"),
        upload(),
        timed("/healthz"),
        timed("/readyz"),
      ]);
      for (const answer of [read, query, stored]) {
        expect([answer.status, answer.retryAfter], answer.body).to.deep.equal([503, "5"]);
        expect(answer.ms, "answered within a few seconds").to.be.lessThan(8000);
      }
      expect(JSON.parse(query.body).errors[0].extensions.code).to.equal("SERVICE_UNAVAILABLE");
      expect([health.status, health.ms < 1000]).to.deep.equal([200, true]);
      expect(ready.status).to.equal(503);
      expect(JSON.parse(ready.body)).to.include({ database: "error" });
    } finally {
      pg.thaw();
    }
    await servesAgain();
    const readyAgain = await timed("/readyz");
    expect(readyAgain.status).to.equal(200);
    expect(JSON.parse(readyAgain.body)).to.include({ database: "ok", queue: "ok" });
    // Without the job queue's schema this node cannot take uploads: not ready, saying why.
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    try {
      await admin.query(`ALTER TABLE pgboss.version RENAME TO version_hidden`);
      const noQueue = await timed("/readyz");
      expect([noQueue.status, JSON.parse(noQueue.body).queue]).to.deep.equal([503, "error"]);
    } finally {
      await admin.query(`ALTER TABLE pgboss.version_hidden RENAME TO version`);
      await admin.end();
    }
    // The upload that could not commit left no row and no staged file.
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    const { rows } = await client.query("SELECT count(*)::int AS n FROM assets WHERE user_id = $1 AND original_filename = 'during-outage.png'", [user.userId]);
    await client.end();
    expect(rows[0].n).to.equal(1); // the one uploaded after the restart above, not this one
    expect(Number(JSON.parse((await timed("/v1/assets")).body).total)).to.equal(before);
    expect((await filesUnder(path.join(service.dataDir, "storage", "tmp"))).filter((f) => f.includes("upload-"))).to.deep.equal([]);
  });
});
