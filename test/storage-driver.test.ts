import { expect } from "chai";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { LocalDiskStorage } from "../src/assets/storage/local-driver";
import { createS3Client } from "../src/assets/storage/s3-client";
import { S3Storage } from "../src/assets/storage/s3-driver";
import { ingestToFile } from "../src/assets/upload/ingest";
import type { StorageDriver } from "../src/assets/storage/storage-driver";
import { loadConfig } from "../src/config";
import { freePort } from "../src/free-port";
import { startS3rver, type S3Endpoint } from "./s3rver-process";

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/** One contract, two drivers: what the services rely on holds for the local disk and for S3. */
function contract(name: string, open: () => Promise<{ storage: StorageDriver; stagingDir: () => Promise<string[]> }>) {
  describe(`storage driver contract: ${name}`, function () {
    this.timeout(60_000);
    let storage: StorageDriver;
    let stagingDir: () => Promise<string[]>;
    const key = (ext = "bin") => `assets/${randomUUID()}/image/2026/11/${randomUUID()}.${ext}`;

    async function staged(bytes: Buffer): Promise<string> {
      const file = storage.stagingPath();
      await fs.writeFile(file, bytes);
      return file;
    }

    before(async () => {
      ({ storage, stagingDir } = await open());
    });
    after(async () => {
      await storage.close();
    });

    it("commits a staged file under its key, byte for byte, and the staged file is gone", async () => {
      const bytes = randomBytes(300_000);
      const file = await staged(bytes);
      const k = key();
      await storage.commit(file, k);
      await fs.access(file).then(() => expect.fail("staged file still there"), () => undefined);
      expect(await storage.stat(k)).to.deep.equal({ size: bytes.length });
      expect(sha256(await bytesOf(await storage.read(k)))).to.equal(sha256(bytes));
    });

    it("commits a file larger than one part in parts, byte for byte", async () => {
      const bytes = randomBytes(12 * 1024 * 1024 + 123);
      const k = key();
      await storage.commit(await staged(bytes), k);
      expect(await storage.stat(k)).to.deep.equal({ size: bytes.length });
      expect(sha256(await bytesOf(await storage.read(k)))).to.equal(sha256(bytes));
    });

    it("reads a byte range", async () => {
      const bytes = randomBytes(10_000);
      const k = key();
      await storage.commit(await staged(bytes), k);
      expect((await bytesOf(await storage.read(k, { start: 100, end: 1099 }))).equals(bytes.subarray(100, 1100))).to.equal(true);
      expect((await bytesOf(await storage.read(k, { start: 9_990, end: 9_999 }))).equals(bytes.subarray(9_990))).to.equal(true);
    });

    it("lends a local copy to media tools and removes it afterwards", async () => {
      const bytes = randomBytes(5_000);
      const k = key("png");
      await storage.commit(await staged(bytes), k);
      const before = await stagingDir();
      let seen = "";
      const size = await storage.withLocalFile(k, async (file) => {
        seen = file;
        return (await fs.readFile(file)).length;
      });
      expect(size).to.equal(bytes.length);
      expect(seen.endsWith(".png")).to.equal(true);
      if (storage.kind === "s3") await fs.access(seen).then(() => expect.fail("local copy left behind"), () => undefined);
      expect(await stagingDir()).to.deep.equal(before);
      // Even when the work fails.
      const error = await storage.withLocalFile(k, async () => {
        throw new Error("tool failed");
      }).catch((e: Error) => e);
      expect((error as Error).message).to.equal("tool failed");
      expect(await stagingDir()).to.deep.equal(before);
    });

    it("lists stored files with their keys, and forgets deleted ones (deleting a missing one is fine)", async () => {
      const k = key();
      await storage.commit(await staged(randomBytes(10)), k);
      const listed = async () => {
        const keys: string[] = [];
        for await (const file of storage.list()) {
          expect(file.modifiedAt).to.be.instanceOf(Date);
          keys.push(file.key);
        }
        return keys;
      };
      expect(await listed()).to.include(k);
      await storage.delete(k);
      await storage.delete(k);
      expect(await listed()).to.not.include(k);
      expect(await storage.stat(k)).to.equal(undefined);
    });

    it("lists every key of a library larger than one listing page (S3 pages by 1,000)", async () => {
      const folder = `assets/${randomUUID()}/image/2026/11`;
      const keys = Array.from({ length: 1_050 }, (_, i) => `${folder}/${String(i).padStart(5, "0")}.png`);
      const queue = [...keys];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let k = queue.shift(); k; k = queue.shift()) {
            const file = storage.stagingPath();
            await fs.writeFile(file, "x");
            await storage.commit(file, k);
          }
        }),
      );
      const listed: string[] = [];
      for await (const file of storage.list()) if (file.key.startsWith(folder)) listed.push(file.key);
      expect(listed.sort()).to.deep.equal(keys);
    });

    it("reports a missing file as missing (stat undefined, read ENOENT)", async () => {
      const k = key();
      expect(await storage.stat(k)).to.equal(undefined);
      const error = await storage.read(k).then((s) => bytesOf(s)).catch((e: NodeJS.ErrnoException) => e);
      expect((error as NodeJS.ErrnoException).code).to.equal("ENOENT");
    });

    it("is ready when usable", async () => {
      expect(await storage.check()).to.equal("ok");
    });
  });
}

async function filesIn(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(() => [] as string[])).sort();
}

contract("local disk", async () => {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "driver-local-"));
  const storage = new LocalDiskStorage(root);
  await storage.init();
  return { storage, stagingDir: () => filesIn(path.dirname(storage.stagingPath())) };
});

let s3: S3Endpoint | undefined;

function s3Storage(endpoint: S3Endpoint, root: string, overrides: Record<string, string> = {}) {
  const config = loadConfig({ ...endpoint.env, S3_PREFIX: "contract", ...overrides });
  // Small parts, so the multipart path is taken by a 12 MB file.
  return new S3Storage(createS3Client(config.s3!), config.s3!, path.join(root, "tmp"), { singlePutMax: 1024 * 1024, partSize: 5 * 1024 * 1024 });
}

contract("S3 (s3rver)", async () => {
  s3 = await startS3rver();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "driver-s3-"));
  const storage = s3Storage(s3, root);
  await storage.init();
  return { storage, stagingDir: () => filesIn(path.dirname(storage.stagingPath())) };
});

describe("S3 storage specifics", function () {
  this.timeout(60_000);
  after(async () => {
    await s3?.stop();
  });

  it("keeps keys under S3_PREFIX and lists only its own", async () => {
    // Each on its own staging root, as two processes would be.
    const mine = s3Storage(s3!, await fs.mkdtemp(path.join(os.tmpdir(), "driver-s3-")), { S3_PREFIX: "tenant-a/" });
    const theirs = s3Storage(s3!, await fs.mkdtemp(path.join(os.tmpdir(), "driver-s3-")), { S3_PREFIX: "tenant-b" });
    await Promise.all([mine.init(), theirs.init()]);
    const k = `assets/${randomUUID()}/font/2026/11/${randomUUID()}.ttf`;
    const file = mine.stagingPath();
    await fs.writeFile(file, "x");
    await mine.commit(file, k);
    expect(await theirs.stat(k)).to.equal(undefined);
    const keys: string[] = [];
    for await (const f of theirs.list()) keys.push(f.key);
    expect(keys).to.not.include(k);
    const raw = await fetch(`${s3!.endpoint}/${s3!.bucket}/tenant-a/${k}`);
    expect(raw.status).to.not.equal(404);
    await Promise.all([mine.close(), theirs.close()]);
  });

  it("sends every write's SHA-256 for the store to verify: the whole file's on a PUT, each part's in a multipart upload, streamed or not", async () => {
    // A recording pass-through in front of s3rver (which accepts checksums without checking them).
    const seen: Array<{ method: string; url: string; checksum: string | undefined; bytes: Buffer }> = [];
    const upstream = new URL(s3!.endpoint);
    const proxy = http.createServer(async (req, res) => {
      const body: Buffer[] = [];
      for await (const chunk of req) body.push(chunk as Buffer);
      const bytes = Buffer.concat(body);
      seen.push({ method: req.method!, url: req.url!, checksum: req.headers["x-amz-checksum-sha256"] as string | undefined, bytes });
      const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      });
      forward.end(bytes);
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const root = await fs.mkdtemp(path.join(os.tmpdir(), "driver-s3-"));
      const storage = s3Storage({ ...s3!, env: { ...s3!.env, S3_ENDPOINT: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` } }, root);
      await storage.init();
      for (const size of [50_000, 11 * 1024 * 1024]) {
        const bytes = randomBytes(size);
        const file = storage.stagingPath();
        await fs.writeFile(file, bytes);
        await storage.commit(file, `assets/${randomUUID()}/video/2026/11/${randomUUID()}.mp4`);
      }
      // And written while the bytes arrive: a file under one part, then one of three parts.
      for (const size of [50_000, 11 * 1024 * 1024]) {
        const write = storage.openWrite(`assets/${randomUUID()}/video/2026/11/${randomUUID()}.mp4`);
        write.stream.end(randomBytes(size));
        await write.done();
      }
      const writes = seen.filter((r) => r.method === "PUT" && r.bytes.length > 0);
      expect(writes).to.have.length((1 + 3) * 2);
      for (const write of writes) expect(write.checksum, write.url).to.equal(createHash("sha256").update(write.bytes).digest("base64"));
      await storage.close();
    } finally {
      proxy.close();
    }
  });

  it("stores a file while its bytes arrive, and an aborted or failed write leaves nothing", async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "driver-s3-"));
    const storage = s3Storage(s3!, root);
    await storage.init();
    // Whole: an upload mirrored into the store as it is ingested, in parts.
    const bytes = randomBytes(12 * 1024 * 1024 + 5);
    const k = `assets/${randomUUID()}/video/2026/11/${randomUUID()}.mp4`;
    const write = storage.openWrite(k);
    const staged = await ingestToFile(Readable.from([bytes.subarray(0, 7_000_000), bytes.subarray(7_000_000)]), storage.stagingPath(), 50 * 1024 * 1024, [], write.stream);
    await write.done();
    expect(staged.size).to.equal(bytes.length);
    expect(sha256(await bytesOf(await storage.read(k)))).to.equal(sha256(bytes));

    // Aborted half-way (the client went away): nothing under the key.
    const aborted = `assets/${randomUUID()}/video/2026/11/${randomUUID()}.mp4`;
    const cut = storage.openWrite(aborted);
    cut.stream.write(randomBytes(6 * 1024 * 1024));
    await cut.abort();
    expect(await storage.stat(aborted)).to.equal(undefined);
    // Small and empty files aborted the moment they end (as a refused empty upload is): nothing
    // stays, whichever request was still in flight.
    for (let i = 0; i < 20; i++) {
      const small = `assets/${randomUUID()}/image/2026/11/${randomUUID()}.png`;
      const write = storage.openWrite(small);
      write.stream.end(i % 2 ? randomBytes(100) : Buffer.alloc(0));
      await write.abort();
      expect(await storage.stat(small), `write ${i}`).to.equal(undefined);
    }

    // A store that cannot be reached: the ingest fails with SERVICE_UNAVAILABLE instead of waiting forever.
    const down = s3Storage({ ...s3!, env: { ...s3!.env, S3_ENDPOINT: `http://127.0.0.1:${await freePort()}` } }, root);
    const failing = down.openWrite(`assets/${randomUUID()}/video/2026/11/${randomUUID()}.mp4`);
    const target = storage.stagingPath();
    const error = await ingestToFile(Readable.from((function* () {
      for (let i = 0; i < 40; i++) yield randomBytes(1024 * 1024);
    })()), target, 100 * 1024 * 1024, [], failing.stream).then(() => undefined, (e) => e);
    expect(error?.code, String(error)).to.equal("SERVICE_UNAVAILABLE");
    await fs.access(target).then(() => expect.fail("staged file left behind"), () => undefined);
    await failing.abort();
    await storage.close();
  });

  it("copies an object within the bucket, under its prefix (a finished resumable upload becoming an asset's file)", async () => {
    const storage = s3Storage(s3!, await fs.mkdtemp(path.join(os.tmpdir(), "driver-s3-")), { S3_PREFIX: "tenant-c/" });
    await storage.init();
    const bytes = randomBytes(300_000);
    const file = storage.stagingPath();
    await fs.writeFile(file, bytes);
    const from = `uploads/${randomUUID()}`;
    const to = `assets/${randomUUID()}/video/2026/11/${randomUUID()}.mp4`;
    await storage.put(file, from);
    await storage.copyWithin(from, to);
    expect((await bytesOf(await storage.read(to))).equals(bytes)).to.equal(true);
    expect(await storage.stat(from)).to.deep.equal({ size: bytes.length });
    const raw = await fetch(`${s3!.endpoint}/${s3!.bucket}/tenant-c/${to}`);
    expect(raw.status).to.equal(200);
    const missing = await storage.copyWithin(`uploads/${randomUUID()}`, `assets/${randomUUID()}/x.mp4`).then(() => undefined, (error: Error) => error);
    expect(missing, "copying a missing object fails").to.be.instanceOf(Error);
    await storage.close();
  });

  it("signs a GET the store serves itself, with the file's type and name", async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "driver-s3-"));
    const storage = s3Storage(s3!, root);
    await storage.init();
    const bytes = randomBytes(2_000);
    const file = storage.stagingPath();
    await fs.writeFile(file, bytes);
    const k = `assets/${randomUUID()}/image/2026/11/${randomUUID()}.png`;
    await storage.commit(file, k);
    const url = await storage.presignedDownload!(k, { expiresInSeconds: 60, contentType: "image/png", contentDisposition: 'attachment; filename="hero.png"' });
    expect(url).to.include("X-Amz-Expires=60");
    const response = await fetch(url);
    expect(response.status).to.equal(200);
    expect(response.headers.get("content-type")).to.equal("image/png");
    expect(response.headers.get("content-disposition")).to.equal('attachment; filename="hero.png"');
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).to.equal(true);
    await storage.close();
  });

  it("answers SERVICE_UNAVAILABLE when the store cannot be reached, and keeps nothing half-written", async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), "driver-s3-"));
    const down = s3Storage({ ...s3!, env: { ...s3!.env, S3_ENDPOINT: `http://127.0.0.1:${await freePort()}` } }, root);
    await down.init();
    const file = down.stagingPath();
    await fs.writeFile(file, randomBytes(1000));
    const k = `assets/${randomUUID()}/image/2026/11/${randomUUID()}.png`;
    for (const attempt of [() => down.commit(file, k), () => down.stat(k), () => down.read(k), () => down.check()]) {
      const error = await attempt().then(() => undefined, (e) => e);
      expect(error?.code, String(error)).to.equal("SERVICE_UNAVAILABLE");
    }
    await down.close();
    const up = s3Storage(s3!, root);
    expect(await up.stat(k)).to.equal(undefined);
  });
});
