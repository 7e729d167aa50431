import { expect } from "chai";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { signToken } from "../src/auth/tokens";
import { FIXTURES } from "./helpers";
import { startS3rver, type S3Endpoint } from "./s3rver-process";
import { startServiceProcess, type ServiceProcess } from "./service-process";
import { TEST_AUTH_SECRET, testService } from "./setup";

/**
 * A service on S3 with S3_DOWNLOAD_REDIRECT=true: signed URLs answer 302 to the store's own
 * presigned GET (same lifetime, type and name) and the bytes never pass through the API; the
 * authenticated routes keep streaming with Range and ETag.
 */
describe("downloads straight from S3 (S3_DOWNLOAD_REDIRECT)", function () {
  this.timeout(120_000);
  let s3: S3Endpoint;
  let service: ServiceProcess;
  let auth: Record<string, string>;

  before(async () => {
    s3 = await startS3rver();
    service = await startServiceProcess({
      ...s3.env,
      DATABASE_URL: testService().runtime.database.url,
      S3_DOWNLOAD_REDIRECT: "true",
      WORKER_CONCURRENCY: "1",
    });
    auth = { Authorization: `Bearer ${await signToken(TEST_AUTH_SECRET, randomUUID())}` };
  });
  after(async () => {
    await service?.stop();
    await s3?.stop();
  });

  async function upload(file: string): Promise<any> {
    const form = new FormData();
    form.append("on_duplicate", "keep");
    form.append("file", await fs.openAsBlob(file), path.basename(file));
    const response = await fetch(`${service.baseUrl}/v1/assets/upload`, { method: "POST", headers: auth, body: form });
    expect(response.status).to.equal(201);
    return response.json();
  }

  it("answers a signed URL with 302 to a presigned GET that serves the same bytes, type and name", async () => {
    const file = path.join(FIXTURES, "image/png-rgb-8bit-200x133.png");
    const asset = await upload(file);
    const redirect = await fetch(asset.urls.download, { redirect: "manual" });
    expect(redirect.status).to.equal(302);
    const location = new URL(redirect.headers.get("location")!);
    expect(location.origin).to.equal(s3.endpoint);
    const lifetime = Number(new URL(asset.urls.download).searchParams.get("expires")) - Math.floor(Date.now() / 1000);
    expect(Number(location.searchParams.get("X-Amz-Expires"))).to.be.within(lifetime - 5, lifetime);
    const fromStore = await fetch(location);
    expect(fromStore.status).to.equal(200);
    expect(fromStore.headers.get("content-type")).to.equal("image/png");
    expect(fromStore.headers.get("content-disposition")).to.include('filename="png-rgb-8bit-200x133.png"');
    const bytes = Buffer.from(await fromStore.arrayBuffer());
    expect(createHash("sha256").update(bytes).digest("hex")).to.equal(asset.checksum);
  });

  it("keeps streaming through the API for authenticated downloads (Range, ETag) and for SVG (its CSP)", async () => {
    const png = await upload(path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"));
    const ranged = await fetch(`${service.baseUrl}/v1/assets/${png.asset_id}/download`, { headers: { ...auth, Range: "bytes=0-7" } });
    expect(ranged.status).to.equal(206);
    expect(ranged.headers.get("etag")).to.equal(`"${png.checksum}"`);
    expect(Buffer.from(await ranged.arrayBuffer()).toString("latin1")).to.equal("\x89PNG\r\n\x1a\n");

    const svg = await upload(path.join(FIXTURES, "logo/logo-sharp-viewbox-only.svg"));
    const direct = await fetch(svg.urls.download, { redirect: "manual" });
    expect(direct.status).to.equal(200);
    expect(direct.headers.get("content-security-policy")).to.equal("default-src 'none'");
  });
});
