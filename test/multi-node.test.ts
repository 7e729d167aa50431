import { expect } from "chai";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { Client } from "pg";
import sharp from "sharp";
import { createS3Client } from "../src/assets/storage/s3-client";
import { S3Storage } from "../src/assets/storage/s3-driver";
import { signToken } from "../src/auth/tokens";
import { loadConfig } from "../src/config";
import { FIXTURES, eventually, filesUnder } from "./helpers";
import { writePaddedMp4 } from "./media-builders";
import { downloadSha256, sha256Of, tusUpload, uploadIdOf } from "./tus-helpers";
import { startS3rver, type S3Endpoint } from "./s3rver-process";
import { startServiceProcess, type ServiceProcess } from "./service-process";
import { TEST_AUTH_SECRET, testService } from "./setup";
import { startWorkerProcess, type WorkerProcess } from "./worker-process";

/**
 * A deployment of its own: two API processes and two worker processes on one PostgreSQL database
 * and one S3 bucket, sharing nothing else. Uploads go through A, reads through B, derivatives are
 * made by whichever worker takes the job, and a worker killed mid-job leaves its job to the other.
 * A resumable (tus) upload begun through A and cut off goes on through B.
 */
describe("two API and two worker processes on one database and one bucket", function () {
  this.timeout(240_000);
  let s3: S3Endpoint;
  let databaseUrl: string;
  let databaseName: string;
  const apis: ServiceProcess[] = [];
  const workers: WorkerProcess[] = [];
  const dirs: string[] = [];
  let auth: Record<string, string>;
  let db: Client;

  before(async () => {
    s3 = await startS3rver("multi-node");
    databaseName = `multinode_${randomUUID().replace(/-/g, "")}`;
    await testService().runtime.services.db.query(`CREATE DATABASE ${databaseName}`);
    const url = new URL(testService().runtime.database.url);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
    const env = { ...s3.env, DATABASE_URL: databaseUrl, WORKER_CONCURRENCY: "0" };
    // One after the other: the first applies the migrations.
    apis.push(await startServiceProcess(env));
    apis.push(await startServiceProcess(env));
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    auth = { Authorization: `Bearer ${await signToken(TEST_AUTH_SECRET, randomUUID())}` };
  });

  after(async () => {
    for (const worker of workers) await worker.kill("SIGKILL");
    for (const api of apis) await api.stop();
    await db?.end();
    await testService().runtime.services.db.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
    await s3?.stop();
    for (const dir of dirs) await fsp.rm(dir, { recursive: true, force: true });
  });

  async function workerDir(): Promise<string> {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "multi-node-worker-"));
    dirs.push(dir);
    return dir;
  }

  async function uploadThrough(api: ServiceProcess, name: string, bytes: Buffer): Promise<{ asset_id: string; checksum: string }> {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(bytes)]), name);
    const response = await fetch(`${api.baseUrl}/v1/assets/upload`, { method: "POST", headers: auth, body: form });
    expect(response.status, await response.clone().text()).to.equal(201);
    return response.json() as Promise<{ asset_id: string; checksum: string }>;
  }

  /** Every key in the bucket, listed through the S3 API. */
  async function bucketKeys(): Promise<string[]> {
    const config = loadConfig({ ...s3.env }).s3!;
    const bucket = new S3Storage(createS3Client(config), config, path.join(await workerDir(), "tmp"));
    const keys: string[] = [];
    for await (const file of bucket.list()) keys.push(file.key);
    await bucket.close();
    return keys.sort();
  }

  it("uploads through A, reads through B, shares the jobs, and finishes a killed worker's job on the other", async () => {
    const videos = ["webm-av1-opus-854x480.webm", "mp4-h264-aac-854x480-edit-list.mp4", "webm-vp9-opus-320x180.webm"];
    const uploads: Array<{ id: string; sha256: string }> = [];
    const workerDirs = [await workerDir(), await workerDir()];
    workers.push(...(await Promise.all(workerDirs.map((dir) => startWorkerProcess(dir, { ...s3.env, DATABASE_URL: databaseUrl, STORAGE_DIR: path.join(dir, "storage") })))));
    for (const name of videos) {
      const bytes = fs.readFileSync(path.join(FIXTURES, "video", name));
      uploads.push({ id: (await uploadThrough(apis[0], name, bytes)).asset_id, sha256: createHash("sha256").update(bytes).digest("hex") });
    }
    for (let i = 0; i < 6; i++) {
      const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 40 * i, g: 90, b: 200 - 20 * i } } }).png().toBuffer();
      uploads.push({ id: (await uploadThrough(apis[0], `swatch-${i}.png`, png)).asset_id, sha256: createHash("sha256").update(png).digest("hex") });
    }
    const ids = uploads.map((u) => u.id);

    // A worker in the middle of a video's job: the job active, the video's derivatives being
    // written in that worker's own staging directory. It is killed there.
    const videoIds = ids.slice(0, videos.length);
    let cut: { job: string; worker: number } | undefined;
    await eventually(async () => {
      const { rows } = await db.query(`SELECT id, data->>'assetId' AS asset_id FROM pgboss.job WHERE state = 'active' AND data->>'assetId' = ANY($1)`, [videoIds]);
      for (const row of rows as Array<{ id: string; asset_id: string }>) {
        for (const [n, dir] of workerDirs.entries()) {
          if ((await filesUnder(dir)).some((f) => f.includes(`derive-${row.asset_id}`))) cut = { job: row.id, worker: n };
        }
      }
      expect(cut, "a worker mid-way through a video").to.not.equal(undefined);
    }, 60_000);
    await workers[cut!.worker].kill("SIGKILL");
    const survivor = workers[1 - cut!.worker];
    // Everything becomes ready, read through B.
    await eventually(async () => {
      for (const id of ids) {
        const asset = (await (await fetch(`${apis[1].baseUrl}/v1/assets/${id}`, { headers: auth })).json()) as { status: string };
        expect(asset.status, id).to.equal("ready");
      }
    }, 180_000);
    for (const upload of uploads) {
      const download = await fetch(`${apis[1].baseUrl}/v1/assets/${upload.id}/download`, { headers: auth });
      expect(download.status).to.equal(200);
      expect(createHash("sha256").update(Buffer.from(await download.arrayBuffer())).digest("hex")).to.equal(upload.sha256);
    }
    const [retried] = (await db.query(`SELECT retry_count FROM pgboss.job WHERE id = $1`, [cut!.job])).rows;
    expect(retried.retry_count, "the cut-off job was taken again").to.be.greaterThan(0);
    expect(survivor.logs.some((l) => l.msg === "derivatives made"), "the second worker made derivatives").to.equal(true);

    // One row per derivative, and the bucket holds exactly the files the rows name.
    const { rows: duplicates } = await db.query(
      `SELECT asset_id, version_number, kind, count(*)::int AS n FROM asset_derivatives WHERE asset_id = ANY($1) GROUP BY 1, 2, 3 HAVING count(*) > 1`,
      [ids],
    );
    expect(duplicates).to.deep.equal([]);
    const { rows: named } = await db.query(
      `SELECT storage_path FROM asset_versions WHERE asset_id = ANY($1) UNION ALL SELECT storage_path FROM asset_derivatives WHERE asset_id = ANY($1)`,
      [ids],
    );
    expect(await bucketKeys()).to.deep.equal(named.map((r: { storage_path: string }) => r.storage_path).sort());
  });

  it("takes a 200 MB tus upload through A, resumes it through B after a cut at 60%, and ends with one asset of the same bytes", async () => {
    const userId = randomUUID();
    const token = await signToken(TEST_AUTH_SECRET, userId);
    const user = { userId, token, auth: { Authorization: `Bearer ${token}` } };
    const file = path.join(await workerDir(), "big.mp4");
    await writePaddedMp4(path.join(FIXTURES, "video/mp4-fragmented-h264-aac.mp4"), file, 200 * 1024 * 1024);
    const first = await tusUpload(apis[0].baseUrl, user, file, { metadata: { filename: "big.mp4" }, abortAt: 0.6 });
    expect(first.aborted).to.equal(true);
    const id = uploadIdOf(first.url);
    const resumed = await tusUpload(apis[1].baseUrl, user, file, { metadata: { filename: "big.mp4" }, uploadUrl: `${apis[1].baseUrl}/v1/uploads/${id}` });
    expect(resumed.aborted).to.equal(false);
    expect(resumed.startedAt, "B went on from where A stopped").to.be.greaterThan(0.5 * 200 * 1024 * 1024);
    const status = (await (await fetch(`${apis[0].baseUrl}/v1/uploads/${id}`, { headers: user.auth })).json()) as { status: string; asset_id: string };
    expect(status.status).to.equal("completed");
    const { rows } = await db.query(`SELECT asset_id FROM assets WHERE user_id = $1`, [userId]);
    expect(rows.map((r: { asset_id: string }) => r.asset_id)).to.deep.equal([status.asset_id]);
    expect(await downloadSha256(apis[1].baseUrl, user, status.asset_id)).to.equal(await sha256Of(file));
    // Nothing of the upload is left in the bucket beside the asset's own file.
    const client = createS3Client(loadConfig({ ...s3.env }).s3!);
    await eventually(async () => {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: "uploads/" }));
      expect(listed.Contents ?? []).to.deep.equal([]);
    });
    client.destroy();
  });
});
