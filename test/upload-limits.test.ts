import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { FIXTURES, assetRowCount, eventually, newUser, stagedFiles, uploadRest, userFiles } from "./helpers";
import { writePaddedMp4 } from "./media-builders";
import { rawUpload } from "./raw-upload";

const MB = 1024 * 1024;
const JPEG_HEAD = fs.readFileSync(path.join(FIXTURES, "image/jpg-baseline-rgb-320x240-test-pattern.jpg")).subarray(0, 4096);

describe("upload size limits and interrupted uploads", function () {
  this.timeout(60_000);

  for (const kind of ["rest", "graphql"] as const) {
    it(`${kind}: cuts off an 11 MB image sent chunked with no Content-Length as soon as 10 MB is passed`, async () => {
      const user = await newUser();
      // The client sends a little over 10 MB of its 11 MB and then waits, never sending the rest.
      const result = await rawUpload({ kind, token: user.token, filename: "huge.jpg", head: JPEG_HEAD, fileBytes: 11 * MB, stallAfter: 10 * MB + 256 * 1024 });
      const code = kind === "rest" ? result.body.error?.code : result.body.errors?.[0]?.extensions?.code;
      expect(code, JSON.stringify(result.body)).to.equal("FILE_TOO_LARGE");
      if (kind === "rest") expect(result.status).to.equal(413);
      // The answer came although the last ~750 KB were never sent, and the server closed the
      // connection rather than wait for them.
      expect(result.fileBytesSent).to.be.within(10 * MB, 10 * MB + 512 * 1024);
      expect(result.serverClosed).to.equal(true);
      await eventually(async () => expect(await stagedFiles()).to.deep.equal([]));
      expect(await assetRowCount(user.userId)).to.equal(0);
      expect(await userFiles(user.userId)).to.deep.equal([]);
    });

    it(`${kind}: leaves no row, file or temp file when the client disconnects mid-upload`, async () => {
      const user = await newUser();
      const result = await rawUpload({
        kind,
        token: user.token,
        filename: "partial.jpg",
        head: JPEG_HEAD,
        fileBytes: 8 * MB,
        abortAfter: 2 * MB,
        // Disconnect only once the server is demonstrably writing the upload to its staging area.
        beforeAbort: () => eventually(async () => expect(await stagedFiles()).to.have.length.greaterThan(0)),
      });
      expect(result.status).to.equal(undefined);
      await eventually(async () => expect(await stagedFiles()).to.deep.equal([]));
      expect(await assetRowCount(user.userId)).to.equal(0);
      expect(await userFiles(user.userId)).to.deep.equal([]);
    });
  }

  it("applies each type's own limit: a 12 MB video is accepted where an image would not be", async () => {
    const user = await newUser();
    const file = path.join(await fs.promises.mkdtemp(path.join(os.tmpdir(), "video-")), "padded.mp4");
    await writePaddedMp4(path.join(FIXTURES, "video/mp4-fragmented-h264-aac.mp4"), file, 12 * MB);
    try {
      const { status, body } = await uploadRest(user, file);
      expect(status, JSON.stringify(body)).to.equal(201);
      expect(body).to.include({ asset_type: "video", file_size: 12 * MB });
      expect(body.metadata).to.include({ width: 320, height: 180, codec: "h264" });
    } finally {
      await fs.promises.rm(path.dirname(file), { recursive: true, force: true });
    }
  });

  it("answers a refused type before reading the body, and the client still gets the answer", async () => {
    const user = await newUser();
    const { status, body } = await uploadRest(user, { bytes: Buffer.alloc(3 * MB, 1), filename: "document.pdf" });
    expect(status).to.equal(415);
    expect(body.error).to.include({ code: "INVALID_FILE_TYPE" });
    expect(await stagedFiles()).to.deep.equal([]);
  });
});
