import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { FIXTURES, api, assetRowCount, newUser, settled, uploadRest, userFiles } from "./helpers";
import { testService } from "./setup";

/**
 * A new asset's files, and a new version's, are stored before the transaction opens: a slow object
 * store (S3 far away) never holds a transaction, or the folder's count row, open while bytes travel.
 */
describe("storing an upload's files", function () {
  this.timeout(60_000);

  async function withSlowCommits<T>(delayMs: number, run: (commitsStarted: () => number) => Promise<T>): Promise<T> {
    const storage = testService().runtime.services.storage;
    const original = storage.commit;
    let started = 0;
    storage.commit = async (staged, key) => {
      // Uploads stage as upload-*; derivative jobs running meanwhile stage as derive-*.
      if (path.basename(staged).startsWith("upload-")) started++;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return original.call(storage, staged, key);
    };
    try {
      return await run(() => started);
    } finally {
      storage.commit = original;
    }
  }

  /** Transactions of this database idle (waiting on the service) for more than half a second. */
  async function transactionsHeldOpen(): Promise<number> {
    const [{ open }] = await testService().runtime.services.db.query(
      `SELECT count(*)::int AS open FROM pg_stat_activity
        WHERE datname = current_database() AND state = 'idle in transaction' AND xact_start < now() - interval '500 milliseconds'`,
    );
    return open;
  }

  it("holds no transaction open while the file is written to storage", async () => {
    const user = await newUser();
    const folder = (await api(user, "POST", "/v1/assets/folders", { name: "slow" })).body.folder_id;
    await withSlowCommits(1_500, async (commitsStarted) => {
      let answered = false;
      const uploading = uploadRest(user, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"), { folder_id: folder }).finally(() => (answered = true));
      // Waits for the commit, or for an answer that came without one (which fails below, not by timing out).
      while (commitsStarted() === 0 && !answered) await new Promise((resolve) => setTimeout(resolve, 20));
      if (!answered) {
        await new Promise((resolve) => setTimeout(resolve, 700));
        expect(await transactionsHeldOpen(), "transactions held open during the write").to.equal(0);
      }
      const { status, body } = await uploading;
      expect(status, JSON.stringify(body)).to.equal(201);
      // S3 writes the file while it arrives (nothing to commit); the local store commits it from staging.
      const streams = testService().runtime.services.storage.openWrite !== undefined;
      expect(commitsStarted(), "staged files committed").to.equal(streams ? 0 : 1);
    });
  });

  it("holds no transaction open while a new version's file is written to storage", async () => {
    const user = await newUser();
    // Audio: no preview made during the upload, so the version's own file is the only write.
    const { body: asset } = await uploadRest(user, path.join(FIXTURES, "audio/mp3-cbr128-mono-44k-audacity.mp3"));
    await settled(user, asset.asset_id);
    await withSlowCommits(1_500, async (commitsStarted) => {
      const form = new FormData();
      form.append("file", await fs.openAsBlob(path.join(FIXTURES, "audio/mp3-cbr64-mono-48k-iso-conformance.mp3")), "next.mp3");
      let answered = false;
      const uploading = fetch(`${testService().baseUrl}/v1/assets/${asset.asset_id}/versions`, { method: "POST", headers: user.auth, body: form }).finally(() => (answered = true));
      // On S3 the file is written while it arrives (no commit to slow down); on disk it is committed.
      while (commitsStarted() === 0 && !answered) await new Promise((resolve) => setTimeout(resolve, 20));
      if (!answered) {
        await new Promise((resolve) => setTimeout(resolve, 700));
        expect(await transactionsHeldOpen(), "transactions held open during the write").to.equal(0);
      }
      expect((await uploading).status).to.equal(201);
    });
    const versions = (await api(user, "GET", `/v1/assets/${asset.asset_id}/versions`)).body.items;
    expect(versions.map((v: { version_number: number }) => v.version_number)).to.deep.equal([2, 1]);
  });

  it("answers a duplicate without committing anything more, and keeps nothing when linking", async () => {
    const user = await newUser();
    const file = path.join(FIXTURES, "image/png-rgb-8bit-200x133.png");
    const first = await uploadRest(user, file);
    expect(first.status).to.equal(201);
    await settled(user, first.body.asset_id);
    const files = await userFiles(user.userId);
    await withSlowCommits(0, async (commitsStarted) => {
      const before = commitsStarted();
      expect((await uploadRest(user, file)).status).to.equal(409);
      expect((await uploadRest(user, file, { on_duplicate: "link" })).status).to.equal(200);
      expect(commitsStarted()).to.equal(before);
    });
    expect(await userFiles(user.userId)).to.deep.equal(files);
    expect(await assetRowCount(user.userId), "one asset and its one version").to.equal(2);
  });
});
