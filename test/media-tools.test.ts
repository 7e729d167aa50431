import { expect } from "chai";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { probeMedia } from "../src/assets/media/ffprobe";
import { resolveMediaTools } from "../src/assets/media/tool-paths";
import { FIXTURES } from "./helpers";

/** ffprobe must only ever read the uploaded file itself, whatever the file says. */
describe("media tools", function () {
  this.timeout(30_000);
  const tools = resolveMediaTools({});
  let dir: string;
  let secret: string;

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), "probe-"));
    secret = path.join(dir, "secret.mp3");
    await fs.copyFile(path.join(FIXTURES, "audio/mp3-cbr64-mono-48k-iso-conformance.mp3"), secret);
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const lures: Array<[string, string, "mp4" | "mp3" | "webm"]> = [
    ["an HLS playlist pointing at another local file", "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:SECRET\n#EXT-X-ENDLIST\n", "mp4"],
    ["an HLS playlist probed as MP3", "#EXTM3U\n#EXTINF:10,\nSECRET\n#EXT-X-ENDLIST\n", "mp3"],
    ["an ffconcat list", "ffconcat version 1.0\nfile 'SECRET'\n", "webm"],
  ];
  for (const [name, text, format] of lures) {
    it(`does not follow ${name}`, async () => {
      const lure = path.join(dir, `lure-${format}`);
      await fs.writeFile(lure, text.replace("SECRET", secret));
      const outcome = await probeMedia(tools.ffprobe, lure, format, 10_000).then(
        (probe) => probe.streams.filter((s) => s.codecType === "audio").length,
        () => 0,
      );
      // Following the list would have found the MP3's audio stream.
      expect(outcome).to.equal(0);
    });
  }

  it("resolves binaries from FFMPEG_PATH/FFPROBE_PATH first", () => {
    expect(resolveMediaTools({ ffmpegPath: "/opt/ff/ffmpeg", ffprobePath: "/opt/ff/ffprobe" })).to.deep.equal({ ffmpeg: "/opt/ff/ffmpeg", ffprobe: "/opt/ff/ffprobe" });
  });
});
