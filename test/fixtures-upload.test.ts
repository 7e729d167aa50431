import { createHash } from "node:crypto";
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { testService } from "./setup";
import { FIXTURES, assetRowCount, newUser, stagedFiles, storedBytes, uploadGraphQL, uploadRest, userFiles, type TestUser } from "./helpers";

/**
 * Every file of the corpus (test/fixtures) goes through a real upload, and what the service extracts is
 * compared with the metadata measured by independent tools (manifest.json), within its tolerances.
 */
interface ManifestEntry {
  path: string;
  sha256: string;
  size_bytes: number;
  expected: Record<string, any> & { asset_type: string };
}

const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, "manifest.json"), "utf8")) as {
  tolerances: { duration_seconds: number; fps: number };
  files: ManifestEntry[];
};
const TOLERANCE = manifest.tolerances;

const REJECT_CODES: Record<string, string> = {
  corrupt: "INCOMPLETE_UPLOAD",
  empty: "INCOMPLETE_UPLOAD",
  mime_mismatch: "MIME_MISMATCH",
  invalid_type: "INVALID_FILE_TYPE",
  // The service's choice for the two edge cases the manifest lets it refuse.
  dimensions_too_large: "SECURITY_VIOLATION",
  no_video_stream: "INVALID_FILE_TYPE",
};

/** Edge cases the service refuses (the manifest allows either); everything else follows `expected`. */
function outcome(entry: ManifestEntry): { accept: true; assetType: string } | { accept: false; reason: string } {
  const alternative = entry.expected.acceptable_alternative;
  if (alternative) return { accept: false, reason: alternative.reason };
  if (entry.expected.asset_type === "reject") return { accept: false, reason: entry.expected.reason };
  return { accept: true, assetType: entry.expected.asset_type };
}

function expectMetadata(entry: ManifestEntry, metadata: Record<string, any>): void {
  const e = entry.expected;
  const where = entry.path;
  switch (e.asset_type) {
    case "image":
    case "logo":
      if (e.format === "svg") {
        expect(metadata, where).to.include({ format: "svg", width: e.identify_rendered_width, height: e.identify_rendered_height });
        return;
      }
      expect(metadata, where).to.include({
        width: e.width,
        height: e.height,
        format: e.format,
        color_space: e.color_space,
        has_transparency: e.has_transparency,
        display_width: e.display_width,
        display_height: e.display_height,
        frames: e.frames,
      });
      return;
    case "audio": {
      const durations = e.duration_conventions_differ ? [e.duration_seconds, e.decoded_duration_seconds] : [e.duration_seconds];
      expect(durations.some((d: number) => Math.abs(metadata.duration_seconds - d) <= TOLERANCE.duration_seconds), `${where} duration ${metadata.duration_seconds}`).to.equal(true);
      expect(metadata, where).to.include({ sample_rate: e.sample_rate, channels: e.channels });
      const bitrates = [e.bitrate, e.bitrate_container];
      expect(bitrates.some((b: number) => Math.abs(metadata.bitrate - b) <= 0.05 * b), `${where} bitrate ${metadata.bitrate}`).to.equal(true);
      return;
    }
    case "video":
      expect(metadata.duration_seconds, where).to.be.closeTo(e.duration_seconds, TOLERANCE.duration_seconds);
      expect(metadata.fps, where).to.be.closeTo(e.fps, TOLERANCE.fps);
      expect(metadata, where).to.include({ width: e.width, height: e.height, codec: e.codec, has_audio: e.has_audio });
      expect(metadata, where).to.include({ display_width: e.display_width, display_height: e.display_height });
      return;
    case "font":
      expect(metadata, where).to.include({ family: e.family, subfamily: e.style, format: e.format });
      expect(metadata.glyph_count, where).to.be.greaterThan(0);
      return;
    default:
      throw new Error(`no expectations for ${e.asset_type}`);
  }
}

describe("upload of every fixture in the corpus", function () {
  this.timeout(60_000);
  let user: TestUser;

  before(async () => {
    user = await newUser();
  });

  for (const entry of manifest.files) {
    const expected = outcome(entry);
    const file = path.join(FIXTURES, entry.path);

    if (expected.accept) {
      it(`stores ${entry.path} as ${expected.assetType} with measured metadata`, async () => {
        const { status, body } = await uploadRest(user, file, { asset_type: expected.assetType });
        expect(status, JSON.stringify(body)).to.equal(201);
        expect(body).to.include({ asset_type: expected.assetType, file_size: entry.size_bytes, checksum: entry.sha256, versions_count: 1 });
        expectMetadata(entry, body.metadata);
        const [row] = await testService().runtime.services.db.query(`SELECT storage_path FROM assets WHERE asset_id = $1`, [body.asset_id]);
        expect(createHash("sha256").update(await storedBytes(row.storage_path)).digest("hex")).to.equal(entry.sha256);
      });
    } else {
      it(`refuses ${entry.path} with ${REJECT_CODES[expected.reason]} (${expected.reason})`, async () => {
        const rejectUser = await newUser();
        const { status, body } = await uploadRest(rejectUser, file);
        expect(body.error?.code, JSON.stringify(body)).to.equal(REJECT_CODES[expected.reason]);
        expect(status).to.be.oneOf([413, 415, 422]);
        expect(await assetRowCount(rejectUser.userId)).to.equal(0);
        expect(await userFiles(rejectUser.userId)).to.deep.equal([]);
        expect(await stagedFiles()).to.deep.equal([]);
      });
    }
  }

  it("extracts the same metadata through the GraphQL multipart upload", async () => {
    // A library of its own: the REST tests above already hold these exact bytes.
    const user = await newUser();
    const samples = ["image/jpg-exif-orientation-6-stored-450x600.jpg", "audio/mp3-vbr-lame-v2-stereo-24k.mp3", "video/mp4-h264-rotation-90-aac-5.1.mp4", "font/woff-truetype-vibur.woff"];
    for (const sample of samples) {
      const entry = manifest.files.find((f) => f.path === sample)!;
      const { body } = await uploadGraphQL(user, path.join(FIXTURES, sample));
      expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
      expect(body.data.uploadAsset.assetType).to.equal(entry.expected.asset_type.toUpperCase());
      expectMetadata(entry, body.data.uploadAsset.metadata);
    }
  });

  it("files a PNG as a logo only when asked, and as an image by default", async () => {
    const png = path.join(FIXTURES, "logo/logo-sav1-500x500-rgba.png");
    const byDefault = await uploadRest(user, png, { on_duplicate: "keep" });
    expect(byDefault.body.asset_type).to.equal("image");
    const wrongType = await uploadRest(user, png, { asset_type: "font" });
    expect(wrongType.body.error.code).to.equal("INVALID_FILE_TYPE");
  });
});
