import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { openAsBlob } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { Client } from "pg";
import { DerivativeProcessor } from "../src/assets/jobs/derivatives.job";
import { resolveMediaTools } from "../src/assets/media/tool-paths";
import type { StorageDriver } from "../src/assets/storage/storage-driver";
import { createLogger } from "../src/logger";
import { eventually, filesUnder, FIXTURES, newUser, settled, uploadRest, userFiles, type TestUser } from "./helpers";
import { OwnPostgres } from "./own-postgres";
import { startServiceProcess, type ServiceProcess } from "./service-process";
import { testService } from "./setup";

/**
 * SIGKILL of the API under upload load, then a restart on the same data directory: staging the
 * dead process owned is swept at start, a stored file no row names goes after its grace period,
 * a derivative job that was running is retried within seconds (not the 15-minute expiry), and
 * every upload that was answered 201 is still there with its file.
 */
describe("a killed API process", function () {
  this.timeout(180_000);
  let first: ServiceProcess | undefined;
  let second: ServiceProcess | undefined;
  let dataDir: string;
  let pg: OwnPostgres;
  let db: Client;

  before(async () => {
    pg = await OwnPostgres.start();
    db = new Client({ connectionString: pg.url });
    await db.connect();
  });

  const env = () => ({
    DATABASE_URL: pg.url,
    WORKER_CONCURRENCY: "1",
    RECONCILE_INTERVAL_SECONDS: "2",
    STORAGE_RECONCILE_INTERVAL_SECONDS: "2",
    ORPHAN_GRACE_SECONDS: "5",
  });

  after(async () => {
    await first?.stop("SIGKILL");
    await second?.stop();
    await db?.end();
    await pg?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });
  const query = async (text: string, values: unknown[]) => (await db.query(text, values)).rows;

  const upload = async (service: ServiceProcess, user: TestUser, file: string) => {
    const form = new FormData();
    form.append("on_duplicate", "keep");
    form.append("file", await openAsBlob(path.join(FIXTURES, file)), `${randomUUID()}${path.extname(file)}`);
    const response = await fetch(`${service.baseUrl}/v1/assets/upload`, { method: "POST", headers: user.auth, body: form });
    return { status: response.status, body: await response.json() };
  };

  it("leaves no staging, no unnamed file and no stuck asset after a restart, and loses no acknowledged upload", async () => {
    const user = await newUser();
    first = await startServiceProcess(env());
    dataDir = first.dataDir;
    const storageDir = path.join(dataDir, "storage");

    // Answered uploads, one of them a video whose derivative job will be running at the kill.
    const answered: string[] = [];
    for (const file of ["image/png-rgb-8bit-200x133.png", "image/jpg-baseline-rgb-320x240-test-pattern.jpg", "video/mov-h264-no-audio-640x360-29.97.mov"]) {
      const result = await upload(first, user, file);
      expect(result.status, JSON.stringify(result.body)).to.equal(201);
      answered.push(result.body.asset_id);
    }
    // An upload in mid-body: its staged file is on disk when the process dies.
    const { port } = new URL(first.baseUrl);
    const socket = net.connect(Number(port), "127.0.0.1", () =>
      socket.write(
        `POST /v1/assets/upload HTTP/1.1\r\nHost: localhost\r\nAuthorization: ${user.auth.Authorization}\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 5000000\r\n\r\n` +
          `--x\r\nContent-Disposition: form-data; name="file"; filename="half.png"\r\n\r\n\x89PNG\r\n\x1a\n${"a".repeat(100_000)}`,
      ),
    );
    socket.on("error", () => undefined);
    await eventually(async () => expect((await filesUnder(path.join(storageDir, "tmp"))).some((f) => path.basename(f).startsWith("upload-"))).to.equal(true));
    await eventually(async () => {
      const [{ n }] = await query(`SELECT count(*)::int AS n FROM pgboss.job WHERE state = 'active' AND data->>'assetId' = ANY($1)`, [answered]);
      expect(n).to.be.greaterThan(0);
    }, 30_000);

    await first.stop("SIGKILL");
    socket.destroy();
    // What a kill between a file's rename and its row's commit leaves: a stored file no row names.
    const orphan = path.join(storageDir, "assets", user.userId, "image", "2026", "11", `${randomUUID()}.png`);
    await fs.mkdir(path.dirname(orphan), { recursive: true });
    await fs.copyFile(path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"), orphan);
    const anHourAgo = new Date(Date.now() - 3600_000);
    await fs.utimes(orphan, anHourAgo, anHourAgo);

    const restarted = Date.now();
    second = await startServiceProcess(env(), dataDir);
    expect((await filesUnder(path.join(storageDir, "tmp"))).filter((f) => path.basename(f).startsWith("upload-"))).to.deep.equal([]);
    await eventually(async () => expect(await fs.stat(orphan).then(() => true, () => false)).to.equal(false), 30_000);

    // Every acknowledged upload is there, processed by the restarted node well within a minute.
    await eventually(async () => {
      const rows: Array<{ status: string }> = await query(`SELECT status FROM assets WHERE asset_id = ANY($1)`, [answered]);
      expect(rows.map((r) => r.status)).to.deep.equal(["ready", "ready", "ready"]);
    }, 60_000);
    expect(Date.now() - restarted).to.be.lessThan(60_000);
    const named: Array<{ storage_path: string }> = await query(
      `SELECT storage_path FROM asset_versions WHERE asset_id = ANY($1) UNION ALL SELECT storage_path FROM asset_derivatives WHERE asset_id = ANY($1)`,
      [answered],
    );
    const stored = new Set((await filesUnder(storageDir)).filter((f) => f.startsWith("assets/")));
    expect(named.map((r) => r.storage_path).filter((key) => !stored.has(key)), "rows whose file is missing").to.deep.equal([]);
    expect([...stored].filter((key) => !named.some((r) => r.storage_path === key)), "files no row names").to.deep.equal([]);
  });
});

describe("a derivative job racing version pruning", () => {
  it("keeps neither rows nor files for a version removed while its derivatives were being made", async () => {
    const user = await newUser();
    const first = await uploadRest(user, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"));
    await settled(user, first.body.asset_id);
    const workers = testService().runtime.workers!;
    await workers.pause();
    try {
      const form = new FormData();
      form.append("file", await openAsBlob(path.join(FIXTURES, "image/jpg-baseline-rgb-320x240-test-pattern.jpg")), "v2.jpg");
      const v2 = await fetch(`${testService().baseUrl}/v1/assets/${first.body.asset_id}/versions`, { method: "POST", headers: user.auth, body: form });
      expect(v2.status).to.equal(201);
      const services = testService().runtime.services;
      // The real storage, with the other request's rollback and version delete landing while this job works.
      const storage: StorageDriver = Object.create(services.storage);
      let raced = false;
      storage.withLocalFile = async (key, use) =>
        services.storage.withLocalFile(key, async (file) => {
          const result = await use(file);
          if (!raced) {
            raced = true;
            await services.versions.rollback(user.userId, first.body.asset_id, 1);
            await services.versions.delete(user.userId, first.body.asset_id, 2);
          }
          return result;
        });
      const config = services.config;
      const processor = new DerivativeProcessor(services.db, storage, { tools: resolveMediaTools(config), timeoutMs: 60_000, maxImagePixels: config.maxImagePixels }, createLogger({ logLevel: "silent" }));
      await processor.handle({ id: randomUUID(), data: { assetId: first.body.asset_id, versionNumber: 2 }, retryCount: 0, retryLimit: 3 });
      const rows = await services.db.query(`SELECT kind FROM asset_derivatives WHERE asset_id = $1 AND version_number = 2`, [first.body.asset_id]);
      expect(rows).to.deep.equal([]);
      expect((await userFiles(user.userId)).filter((f) => f.includes(".v2"))).to.deep.equal([]);
    } finally {
      await workers.resume();
    }
  });
});
