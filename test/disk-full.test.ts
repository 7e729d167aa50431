import { expect } from "chai";
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import { openAsBlob } from "node:fs";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { createHttpApp, type HttpApp } from "../src/app";
import { startRuntime, type Runtime } from "../src/bootstrap";
import { loadConfig } from "../src/config";
import { freePort } from "../src/free-port";
import { listen } from "../src/http/server";
import { createLogger } from "../src/logger";
import { assetRowCount, filesUnder, FIXTURES, newUser } from "./helpers";
import { TEST_AUTH_SECRET, testService } from "./setup";

/**
 * Storage on a 4 MB tmpfs that the test fills: an upload then answers 507 INSUFFICIENT_STORAGE
 * (never the client's INCOMPLETE_UPLOAD), leaves nothing, reads go on, and uploads work again
 * once there is room. Needs a Linux mount (root); elsewhere it says why and is skipped.
 */
describe("a full disk", function () {
  this.timeout(120_000);
  let mountDir: string;
  let runtime: Runtime;
  let http: HttpApp;
  let server: Server;
  let baseUrl: string;

  before(async function () {
    mountDir = await fs.mkdtemp(path.join(os.tmpdir(), "asset-library-full-"));
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", mountDir], { stdio: "pipe" });
    } catch (error) {
      console.log(`      skipped: cannot mount a small tmpfs here (${String((error as Error).message).split("\n")[0]})`);
      await fs.rm(mountDir, { recursive: true, force: true });
      mountDir = "";
      this.skip();
    }
    const port = await freePort();
    const config = loadConfig({
      NODE_ENV: "test",
      DATABASE_URL: testService().runtime.database.url,
      DATA_DIR: mountDir,
      STORAGE_DIR: path.join(mountDir, "storage"),
      AUTH_SECRET: TEST_AUTH_SECRET,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "silent",
    });
    const log = createLogger(config);
    runtime = await startRuntime(config, log, { workers: 0 });
    http = await createHttpApp(runtime.services, log);
    server = await listen(http.app, config);
    baseUrl = `http://127.0.0.1:${port}`;
  });

  after(async () => {
    if (!mountDir) return;
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    await http?.stop();
    await runtime?.close();
    // Lazy: the kernel detaches it once the last handle on it is gone.
    execFileSync("umount", ["-l", mountDir]);
    await fs.rm(mountDir, { recursive: true, force: true });
  });

  const upload = async (auth: Record<string, string>, file: string) => {
    const form = new FormData();
    form.append("file", await openAsBlob(path.join(FIXTURES, file)), path.basename(file));
    const response = await fetch(`${baseUrl}/v1/assets/upload`, { method: "POST", headers: auth, body: form });
    return { status: response.status, body: await response.json() };
  };

  it("answers 507 INSUFFICIENT_STORAGE, leaves nothing, keeps serving reads, and stores again once there is room", async () => {
    const user = await newUser();
    const kept = await upload(user.auth, "image/png-rgb-8bit-200x133.png");
    expect(kept.status).to.equal(201);
    const rowsBefore = await assetRowCount(user.userId);

    const filler = path.join(mountDir, "filler");
    await fs.writeFile(filler, Buffer.alloc(4 * 1024 * 1024)).catch(() => undefined);
    const refused = await upload(user.auth, "image/jpg-progressive-file-type-logo-3000x1438.jpg");
    expect([refused.status, refused.body.error.code]).to.deep.equal([507, "INSUFFICIENT_STORAGE"]);
    expect(await assetRowCount(user.userId)).to.equal(rowsBefore);
    expect(await filesUnder(path.join(mountDir, "storage", "tmp"))).to.deep.equal([]);

    const list = await fetch(`${baseUrl}/v1/assets`, { headers: user.auth });
    expect(list.status).to.equal(200);
    const download = await fetch(`${baseUrl}/v1/assets/${kept.body.asset_id}/download`, { headers: user.auth });
    expect([download.status, (await download.arrayBuffer()).byteLength]).to.deep.equal([200, kept.body.file_size]);
    const ready = await (await fetch(`${baseUrl}/readyz`)).json();
    expect(ready).to.include({ status: "ready", storage: "full" });

    await fs.rm(filler);
    expect((await upload(user.auth, "image/jpg-progressive-file-type-logo-3000x1438.jpg")).status).to.equal(201);
  });
});
