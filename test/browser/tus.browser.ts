import { expect } from "chai";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { startExtraApp, type ExtraApp } from "../extra-app";
import { FIXTURES, api, newUser } from "../helpers";
import { testService } from "../setup";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const JPEG = path.join(FIXTURES, "image/jpg-baseline-rgb-320x240-test-pattern.jpg");

/** A page that uploads with tus-js-client's browser build, pausing half-way and resuming. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>tus</title><script src="/tus-test/tus.min.js"></script>
<script>
window.runUpload = async (token) => {
  const file = new File([await (await fetch("/tus-test/card.jpg")).blob()], "card.jpg", { type: "image/jpeg" });
  const offsets = [];
  return new Promise((resolve, reject) => {
    let paused = false;
    const upload = new tus.Upload(file, {
      endpoint: "/v1/uploads",
      headers: { Authorization: "Bearer " + token },
      metadata: { filename: file.name, filetype: file.type, name: "From the browser" },
      chunkSize: 16 * 1024,
      retryDelays: [],
      onProgress(sent) {
        if (!paused && sent >= file.size / 2) {
          paused = true;
          upload.abort().then(() => upload.start());
        }
      },
      onAfterResponse(req, res) {
        if (req.getMethod() === "HEAD") offsets.push(Number(res.getHeader("Upload-Offset")));
      },
      onSuccess() { resolve({ url: upload.url, resumedAt: offsets }); },
      onError(error) { reject(String(error)); },
    });
    upload.start();
  });
};
</script>`;

describe("resumable uploads from a browser (tus-js-client's browser build in Chromium)", function () {
  this.timeout(120_000);
  let browser: Browser;
  let app: ExtraApp;
  let baseUrl: string;

  before(async () => {
    // The test page and its script come from the service's own origin, as an app's would.
    app = await startExtraApp({
      site: (site) => {
        site.get("/tus-test/page.html", (_req, res) => res.type("html").send(PAGE));
        site.get("/tus-test/tus.min.js", (_req, res) => res.sendFile(require.resolve("tus-js-client/dist/tus.min.js")));
        site.get("/tus-test/card.jpg", (_req, res) => res.sendFile(JPEG));
      },
    });
    baseUrl = app.baseUrl;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("uploads a file in chunks, pauses half-way, resumes from the server's offset and ends as the same bytes", async () => {
    const user = await newUser();
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/tus-test/page.html`, { waitUntil: "load" });
    const result = (await page.evaluate((token) => (window as unknown as { runUpload(t: string): Promise<unknown> }).runUpload(token), user.token)) as { url: string; resumedAt: number[] };
    expect(result.resumedAt.length, "the client asked where to resume").to.equal(1);
    expect(result.resumedAt[0]).to.be.greaterThan(0);
    const id = result.url.split("/").pop()!;
    const status = await api(user, "GET", `/v1/uploads/${id}`);
    expect(status.body).to.include({ status: "completed" });
    expect(status.body.asset).to.include({ name: "From the browser", original_filename: "card.jpg" });
    const download = await fetch(`${testService().baseUrl}/v1/assets/${status.body.asset_id}/download`, { headers: user.auth });
    const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
    expect(sha(Buffer.from(await download.arrayBuffer()))).to.equal(sha(fs.readFileSync(JPEG)));
  });
});
