import { expect } from "chai";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { WRITE_BYTES, ingestToFile } from "../src/assets/upload/ingest";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe("the upload's file writes (assets/upload/ingest.ts)", () => {
  it("writes a file that arrives in 64 kB pieces in pieces of at least WRITE_BYTES, byte for byte", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "ingest-writes-"));
    // Every write of a file handle, as the stream calls it (write or writev), with its byte count.
    const probe = await fs.open(path.join(dir, "probe"), "w");
    const prototype = Object.getPrototypeOf(probe) as { write: Function; writev: Function };
    await probe.close();
    const writes: number[] = [];
    const [write, writev] = [prototype.write, prototype.writev];
    prototype.write = function (this: unknown, buffer: Buffer, ...rest: unknown[]) {
      writes.push(buffer.length);
      return write.call(this, buffer, ...rest);
    };
    prototype.writev = function (this: unknown, buffers: Buffer[], ...rest: unknown[]) {
      writes.push(buffers.reduce((n, b) => n + b.length, 0));
      return writev.call(this, buffers, ...rest);
    };
    try {
      const bytes = randomBytes(3_300_000);
      const pieces = Array.from({ length: Math.ceil(bytes.length / 65536) }, (_, i) => bytes.subarray(i * 65536, (i + 1) * 65536));
      const target = path.join(dir, "photo.jpg");
      const ingested = await ingestToFile(Readable.from(pieces), target, 10 * 1024 * 1024);
      expect(ingested.size).to.equal(bytes.length);
      expect(ingested.sha256).to.equal(sha256(bytes));
      expect(sha256(await fs.readFile(target))).to.equal(sha256(bytes));
      expect(ingested.head).to.deep.equal(bytes.subarray(0, 4096));
      expect(writes.reduce((n, w) => n + w, 0)).to.equal(bytes.length);
      expect(writes.length, `${writes.length} writes for ${pieces.length} pieces`).to.be.at.most(Math.ceil(bytes.length / WRITE_BYTES));
      for (const size of writes.slice(0, -1)) expect(size).to.be.at.least(WRITE_BYTES);
    } finally {
      prototype.write = write;
      prototype.writev = writev;
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
