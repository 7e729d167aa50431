import { expect } from "chai";
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { LocalDiskStorage } from "../src/assets/storage/local-driver";
import { createS3Client } from "../src/assets/storage/s3-client";
import { S3Storage } from "../src/assets/storage/s3-driver";
import { loadConfig } from "../src/config";
import { FIXTURES, newUser, settled, storedBytes, uploadRest } from "./helpers";
import { startS3rver } from "./s3rver-process";
import { testService } from "./setup";

const run = promisify(execFile);

/** `npm run storage -- …` as an operator runs it, on the given environment; its JSON report. */
async function storageCli(args: string[], env: Record<string, string>): Promise<any> {
  const { stdout } = await run(process.execPath, ["--require", "ts-node/register/transpile-only", "src/assets/storage/storage.cli.ts", ...args], {
    cwd: path.join(__dirname, ".."),
    env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "warn", ...env },
    // It logs each file it removes; a database reused across runs can name thousands.
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(stdout);
}

describe("npm run storage", function () {
  this.timeout(120_000);

  it("reconcile reports stored files no row names and rows whose file is missing; --fix removes only the former", async () => {
    const service = testService();
    const storage = service.runtime.services.storage;
    const user = await newUser();
    const { body } = await uploadRest(user, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"));
    await settled(user, body.asset_id);
    const [{ storage_path: lost }] = await service.runtime.services.db.query(`SELECT storage_path FROM asset_versions WHERE asset_id = $1`, [body.asset_id]);
    await storage.delete(lost);
    const orphan = `assets/${user.userId}/image/2026/11/${randomUUID()}.png`;
    const staged = storage.stagingPath();
    await fs.writeFile(staged, randomBytes(100));
    await storage.commit(staged, orphan);
    // Files younger than the grace period are spared (an upload between its commit and its row).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const env = { ...service.storageEnv, DATABASE_URL: service.runtime.database.url, ORPHAN_GRACE_SECONDS: "2" };

    const report = await storageCli(["reconcile"], env);
    expect(report.fixed).to.equal(false);
    // The report lists at most 100 keys of each kind; the suite's other tests (simulated crashes,
    // files removed under rows) and earlier runs on the same database leave some of their own.
    if (report.orphans <= 100) expect(report.orphanKeys).to.include(orphan);
    else expect(report.orphanKeys).to.have.length(100);
    if (report.missing <= 100) expect(report.missingKeys).to.include(lost);
    else expect(report.missingKeys).to.have.length(100);
    expect(report.orphansRemoved).to.equal(0);
    expect(await storage.stat(orphan)).to.deep.equal({ size: 100 });

    const fixed = await storageCli(["reconcile", "--fix"], env);
    if (fixed.orphans <= 100) expect(fixed.orphanKeys).to.include(orphan);
    expect(fixed.orphansRemoved).to.equal(fixed.orphans);
    expect(await storage.stat(orphan)).to.equal(undefined);
    if (fixed.missing <= 100) expect(fixed.missingKeys).to.include(lost);
    // The asset's other files are untouched.
    const [{ storage_path: preview }] = await service.runtime.services.db.query(`SELECT storage_path FROM asset_derivatives WHERE asset_id = $1 AND kind = 'preview'`, [body.asset_id]);
    expect((await storedBytes(preview)).length).to.be.greaterThan(0);
  });

  it("migrate --to s3 copies every stored file with checksum checks, resumes where an earlier run stopped, and says how to switch", async () => {
    const s3 = await startS3rver("migration-target");
    try {
      const root = await fs.mkdtemp(path.join(os.tmpdir(), "migrate-source-"));
      const local = new LocalDiskStorage(root);
      await local.init();
      const files = new Map<string, Buffer>();
      for (const ext of ["png", "mp4", "ttf"]) {
        const key = `assets/${randomUUID()}/image/2026/11/${randomUUID()}.${ext}`;
        const bytes = randomBytes(ext === "mp4" ? 3 * 1024 * 1024 : 20_000);
        const staged = local.stagingPath();
        await fs.writeFile(staged, bytes);
        await local.commit(staged, key);
        files.set(key, bytes);
      }
      const [whole, damaged] = [...files.keys()];
      // An earlier run that stopped: one file copied whole, one left with the wrong bytes.
      const target = loadConfig({ ...s3.env }).s3!;
      const bucket = new S3Storage(createS3Client(target), target, path.join(root, "tmp"));
      for (const [key, bytes] of [[whole, files.get(whole)!], [damaged, randomBytes(files.get(damaged)!.length)]] as const) {
        const copy = path.join(root, "earlier-run");
        await fs.writeFile(copy, bytes);
        await bucket.put(copy, key);
      }

      const env = { ...s3.env, STORAGE_DRIVER: "local", STORAGE_DIR: root, DATA_DIR: root };
      const report = await storageCli(["migrate", "--to", "s3"], env);
      expect(report).to.include({ copied: 2, alreadyThere: 1, target: "s3://migration-target/" });
      for (const [key, bytes] of files) {
        const chunks: Buffer[] = [];
        for await (const chunk of await bucket.read(key)) chunks.push(chunk as Buffer);
        expect(Buffer.concat(chunks).equals(bytes), key).to.equal(true);
      }
      // Run again: nothing left to copy; the source is untouched.
      expect(await storageCli(["migrate", "--to", "s3"], env)).to.include({ copied: 0, alreadyThere: 3 });
      for (const key of files.keys()) expect(await local.stat(key)).to.not.equal(undefined);
      const { stderr } = await run(process.execPath, ["--require", "ts-node/register/transpile-only", "src/assets/storage/storage.cli.ts", "migrate", "--to", "s3"], {
        cwd: path.join(__dirname, ".."),
        env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "warn", ...env },
      });
      expect(stderr).to.include("set STORAGE_DRIVER=s3");
      await bucket.close();
      await local.close();
    } finally {
      await s3.stop();
    }
  });
});
