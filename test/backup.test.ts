import { expect } from "chai";
import { spawn } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { signToken } from "../src/auth/tokens";
import { FIXTURES, eventually } from "./helpers";
import { startServiceProcess, type ServiceProcess } from "./service-process";
import { TEST_AUTH_SECRET } from "./setup";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** `npm run backup` / `npm run restore` as an operator runs them; stdout is their JSON summary. */
function runCli(command: "backup" | "restore", dir: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--require", "ts-node/register/transpile-only", "src/ops/backup.cli.ts", command, dir], {
      cwd: path.join(__dirname, ".."),
      env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A whole library on the embedded PostgreSQL (what `npm start` runs): backed up with the service
 * stopped, wiped (database cluster and stored files), restored, and served again byte for byte,
 * derivatives included.
 */
describe("backup and restore (npm run backup / npm run restore)", function () {
  this.timeout(240_000);
  let dataDir: string;
  let backupDir: string;
  let service: ServiceProcess | undefined;

  before(async () => {
    dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), "asset-library-backup-"));
    await fsp.chmod(dataDir, 0o755);
    backupDir = path.join(await fsp.mkdtemp(path.join(os.tmpdir(), "asset-library-backup-to-")), "nightly");
  });

  after(async () => {
    await service?.stop();
    await fsp.rm(dataDir, { recursive: true, force: true });
    await fsp.rm(path.dirname(backupDir), { recursive: true, force: true });
  });

  it("backs up, wipes, restores, and downloads byte-identical assets and derivatives", async () => {
    // The embedded PostgreSQL in DATA_DIR, local storage under it: no DATABASE_URL, no S3.
    const env = { DATABASE_URL: "", STORAGE_DRIVER: "local", STORAGE_DIR: path.join(dataDir, "storage"), WORKER_CONCURRENCY: "1" };
    const auth = { Authorization: `Bearer ${await signToken(TEST_AUTH_SECRET, randomUUID())}` };
    service = await startServiceProcess(env, dataDir);
    const originals = new Map<string, Buffer>();
    for (const fixture of ["image/png-rgb-8bit-200x133.png", "audio/mp3-cbr128-mono-44k-audacity.mp3"]) {
      const bytes = fs.readFileSync(path.join(FIXTURES, fixture));
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(bytes)]), path.basename(fixture));
      const response = await fetch(`${service.baseUrl}/v1/assets/upload`, { method: "POST", headers: auth, body: form });
      expect(response.status).to.equal(201);
      originals.set(((await response.json()) as { asset_id: string }).asset_id, bytes);
    }
    const base = service.baseUrl;
    await eventually(async () => {
      for (const id of originals.keys()) expect(((await (await fetch(`${base}/v1/assets/${id}`, { headers: auth })).json()) as { status: string }).status).to.equal("ready");
    }, 120_000);
    const thumbnails = new Map<string, string>();
    for (const id of originals.keys()) thumbnails.set(id, sha256(Buffer.from(await (await fetch(`${base}/v1/assets/${id}/derivatives/thumbnail`, { headers: auth })).arrayBuffer())));

    // A running embedded cluster cannot be copied consistently: the tool refuses.
    const whileRunning = await runCli("backup", backupDir, { ...env, DATA_DIR: dataDir });
    expect(whileRunning.code).to.equal(1);
    expect(whileRunning.stderr).to.match(/stop the service/);
    await fsp.rm(backupDir, { recursive: true, force: true });

    await service.stop();
    service = undefined;
    const backedUp = await runCli("backup", backupDir, { ...env, DATA_DIR: dataDir });
    expect(backedUp.code, backedUp.stderr).to.equal(0);
    const summary = JSON.parse(backedUp.stdout);
    expect(summary).to.include({ database: "embedded" });
    expect(summary.files).to.be.at.least(2 + 2 * 2); // two originals, each with a thumbnail and a preview at least

    // Everything gone: the database cluster and every stored file.
    await fsp.rm(path.join(dataDir, "postgres"), { recursive: true, force: true });
    await fsp.rm(path.join(dataDir, "storage"), { recursive: true, force: true });

    const restored = await runCli("restore", backupDir, { ...env, DATA_DIR: dataDir });
    expect(restored.code, restored.stderr).to.equal(0);
    expect(JSON.parse(restored.stdout)).to.include({ files: summary.files });

    service = await startServiceProcess(env, dataDir);
    for (const [id, bytes] of originals) {
      const asset = (await (await fetch(`${service.baseUrl}/v1/assets/${id}`, { headers: auth })).json()) as { status: string };
      expect(asset.status).to.equal("ready");
      const download = await fetch(`${service.baseUrl}/v1/assets/${id}/download`, { headers: auth });
      expect(sha256(Buffer.from(await download.arrayBuffer()))).to.equal(sha256(bytes));
      const thumbnail = await fetch(`${service.baseUrl}/v1/assets/${id}/derivatives/thumbnail`, { headers: auth });
      expect(sha256(Buffer.from(await thumbnail.arrayBuffer()))).to.equal(thumbnails.get(id));
    }
  });

  it("refuses to restore over an existing cluster or from a backup whose files changed", async () => {
    const env = { DATABASE_URL: "", STORAGE_DRIVER: "local", STORAGE_DIR: path.join(dataDir, "storage"), DATA_DIR: dataDir };
    await service?.stop();
    service = undefined;
    const over = await runCli("restore", backupDir, env);
    expect(over.code).to.equal(1);
    expect(over.stderr).to.match(/exists: move it away/);
    const manifest = JSON.parse(await fsp.readFile(path.join(backupDir, "manifest.json"), "utf8"));
    await fsp.appendFile(path.join(backupDir, "files", manifest.files[0].key), "x");
    const fresh = await fsp.mkdtemp(path.join(os.tmpdir(), "asset-library-fresh-"));
    const corrupt = await runCli("restore", backupDir, { ...env, DATA_DIR: fresh });
    await fsp.rm(fresh, { recursive: true, force: true });
    expect(corrupt.code).to.equal(1);
    expect(corrupt.stderr).to.match(/does not match its manifest/);
  });
});
