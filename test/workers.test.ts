import { expect } from "chai";
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { DerivativeProcessor } from "../src/assets/jobs/derivatives.job";
import { requeueOrphans } from "../src/assets/jobs/reconcile";
import { resolveMediaTools } from "../src/assets/media/tool-paths";
import { createLogger } from "../src/logger";
import { FIXTURES, eventually, filesUnder, newUser, settled, uploadRest, userFiles, type TestUser } from "./helpers";
import { testService } from "./setup";
import { startWorkerProcess, type WorkerProcess } from "./worker-process";

const db = () => testService().runtime.services.db;

async function statuses(ids: string[]): Promise<Record<string, number>> {
  const rows: Array<{ status: string; n: number }> = await db().query(`SELECT status, count(*)::int AS n FROM assets WHERE asset_id = ANY($1) GROUP BY status`, [ids]);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** Every file stored for the user is a version or a derivative some row points at, and nothing is left staged. */
async function expectNoOrphans(user: TestUser, assetIds: string[]): Promise<void> {
  const files = (await userFiles(user.userId)).map((f) => `assets/${user.userId}/${f}`);
  const rows: Array<{ storage_path: string }> = await db().query(
    `SELECT storage_path FROM asset_versions WHERE asset_id = ANY($1) UNION SELECT storage_path FROM asset_derivatives WHERE asset_id = ANY($1)`,
    [assetIds],
  );
  expect(files.sort()).to.deep.equal(rows.map((r) => r.storage_path).sort());
  const staged = (await filesUnder(testService().stagingDir)).filter((f) => assetIds.some((id) => f.includes(id)));
  expect(staged).to.deep.equal([]);
}

describe("derivative workers in separate processes", function () {
  this.timeout(180_000);
  let dataDir: string;
  const children: WorkerProcess[] = [];

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "worker-data-"));
    // The API process's own workers step aside so the child processes get every job.
    await testService().runtime.workers!.pause();
  });

  afterEach(async () => {
    // Whatever a test left running must not take the next test's jobs.
    for (const child of children.splice(0)) await child.kill("SIGKILL");
  });

  after(async () => {
    await testService().runtime.workers!.resume();
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("two worker processes share 50 uploads with no job done twice", async () => {
    const user = await newUser();
    // Both processes are polling before the first job arrives.
    const workers = await Promise.all([startWorkerProcess(dataDir), startWorkerProcess(dataDir)]);
    children.push(...workers);
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      const png = await sharp({ create: { width: 320, height: 200, channels: 3, background: { r: i * 5, g: 255 - i * 5, b: 128 } } }).png().toBuffer();
      const { body } = await uploadRest(user, { bytes: png, filename: `swatch-${i}.png` });
      ids.push(body.asset_id);
    }
    await eventually(async () => expect(await statuses(ids)).to.deep.equal({ ready: 50 }), 120_000);

    const done: Array<{ job: string; asset: string; worker: number }> = workers.flatMap((w, n) =>
      w.logs.filter((l) => l.msg === "derivatives made" && ids.includes(l.asset)).map((l) => ({ job: l.job, asset: l.asset, worker: n })),
    );
    expect(done).to.have.length(50);
    expect(new Set(done.map((d) => d.job)).size, "distinct jobs").to.equal(50);
    expect(new Set(done.map((d) => d.asset)).size, "distinct assets").to.equal(50);
    expect(done.filter((d) => d.worker === 0).length, "the first process worked").to.be.greaterThan(0);
    expect(done.filter((d) => d.worker === 1).length, "the second process worked").to.be.greaterThan(0);
    const [jobs] = await db().query(
      `SELECT count(*)::int AS n, max(retry_count)::int AS retries FROM pgboss.job WHERE data->>'assetId' = ANY($1)`,
      [ids],
    );
    expect(jobs).to.deep.equal({ n: 50, retries: 0 });
  });

  it("a worker killed mid-job leaves nothing stuck or orphaned once a worker runs again", async () => {
    const user = await newUser();
    const videos = ["webm-av1-opus-854x480.webm", "mp4-hevc-aac-1080p.mp4", "mp4-h264-aac-854x480-edit-list.mp4", "webm-vp9-opus-320x180.webm"];
    const ids: string[] = [];
    for (const name of videos) ids.push((await uploadRest(user, path.join(FIXTURES, "video", name))).body.asset_id);

    const doomed = await startWorkerProcess(dataDir);
    children.push(doomed);
    // Kill it in the middle of a job: the job active, its derivatives staged, the asset not yet ready.
    const activeJob = async () => {
      const [row] = await db().query(
        `SELECT j.id, j.data->>'assetId' AS asset_id FROM pgboss.job j JOIN assets a ON a.asset_id::text = j.data->>'assetId'
          WHERE j.state = 'active' AND a.status = 'processing' AND j.data->>'assetId' = ANY($1) LIMIT 1`,
        [ids],
      );
      return row as { id: string; asset_id: string } | undefined;
    };
    await eventually(async () => {
      const job = await activeJob();
      expect(job).to.not.equal(undefined);
      expect((await filesUnder(testService().stagingDir)).some((f) => f.includes(job!.asset_id))).to.equal(true);
    }, 60_000);
    await doomed.kill("SIGKILL");
    const stranded = await activeJob();
    expect(stranded, "a job was cut off mid-way").to.not.equal(undefined);

    const survivor = await startWorkerProcess(dataDir);
    children.push(survivor);
    await eventually(async () => expect((await statuses(ids)).processing ?? 0).to.equal(0), 120_000);
    expect(await statuses(ids)).to.deep.equal({ ready: ids.length });
    // The cut-off job itself expired and was retried, and its staged leftovers are gone.
    const [retried] = await db().query(`SELECT retry_count, state FROM pgboss.job WHERE id = $1`, [stranded!.id]);
    expect(retried.retry_count).to.be.greaterThan(0);
    await expectNoOrphans(user, ids);
  });

  it("re-queues an asset left processing with no job at all", async () => {
    const user = await newUser();
    const { body } = await uploadRest(user, path.join(FIXTURES, "image/gif-static-200x133.gif"));
    // As after restoring the database without the queue's tables: the job is gone.
    await db().query(`DELETE FROM pgboss.job WHERE data->>'assetId' = $1`, [body.asset_id]);
    expect(await requeueOrphans(db(), testService().runtime.queue)).to.equal(1);
    expect(await requeueOrphans(db(), testService().runtime.queue), "re-queued once only").to.equal(0);
    const worker = await startWorkerProcess(dataDir);
    children.push(worker);
    expect((await settled(user, body.asset_id)).status).to.equal("ready");
  });

  describe("a media tool that hangs or crashes", () => {
    let tools: string;
    before(async () => {
      tools = await fs.mkdtemp(path.join(os.tmpdir(), "bad-tools-"));
      await fs.writeFile(path.join(tools, "hangs"), "#!/bin/sh\nexec /bin/sleep 60\n", { mode: 0o755 });
      await fs.writeFile(path.join(tools, "crashes"), "#!/bin/sh\nkill -SEGV $$\n", { mode: 0o755 });
    });
    after(async () => {
      await fs.rm(tools, { recursive: true, force: true });
    });

    for (const [tool, reason] of [["hangs", /timed out/], ["crashes", /failed/]] as const) {
      it(`marks the asset failed with a reason when ffmpeg ${tool}, never leaving it processing`, async () => {
        const user = await newUser();
        const { body } = await uploadRest(user, path.join(FIXTURES, "audio/wav-pcm-s16-stereo-22k.wav"));
        const processor = new DerivativeProcessor(
          db(),
          testService().runtime.services.storage,
          { tools: { ...resolveMediaTools({}), ffmpeg: path.join(tools, tool) }, timeoutMs: 1500, maxImagePixels: 100e6 },
          createLogger({ logLevel: "silent" }),
        );
        const job = { id: randomUUID(), data: { assetId: body.asset_id, versionNumber: 1 }, retryCount: 0, retryLimit: 1 };
        // Not the last try: the error goes back to the queue for a retry.
        const first = await processor.handle(job).then(() => undefined, (error: Error) => error);
        expect(first).to.be.instanceOf(Error);
        expect((await statuses([body.asset_id])).processing).to.equal(1);
        // The last try: the asset is failed, with a reason its owner can read.
        await processor.handle({ ...job, retryCount: 1 });
        const [row] = await db().query(`SELECT status, status_reason FROM assets WHERE asset_id = $1`, [body.asset_id]);
        expect(row.status).to.equal("failed");
        expect(row.status_reason).to.match(reason);
        expect(row.status_reason).to.not.include(testService().storageDir);
        await expectNoOrphans(user, [body.asset_id]);
      });
    }
  });
});
