import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { structureFault, type RasterFormat } from "../src/assets/media/image-structure";
import { FIXTURES } from "./helpers";
import { writeDamagedPixelPng } from "./media-builders";

/**
 * The upload's integrity check of raster images walks their structure instead of decoding them:
 * every accepted fixture is whole, and the same file cut short anywhere is not.
 */
const RASTER: Record<string, RasterFormat> = { jpg: "jpg", png: "png", gif: "gif", webp: "webp" };
const images = ["image", "logo"].flatMap((dir) => fs.readdirSync(path.join(FIXTURES, dir)).map((name) => path.join(dir, name))).filter((f) => RASTER[path.extname(f).slice(1)]);

describe("raster image structure", () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "structure-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const image of images) {
    const format = RASTER[path.extname(image).slice(1)];
    it(`${image} is whole, and not once cut short`, async () => {
      const file = path.join(FIXTURES, image);
      expect(await structureFault(file, format)).to.equal(undefined);
      const bytes = fs.readFileSync(file);
      // Bytes after the format's end marker are the file's own business (the UltraHDR JPEG's gain
      // map, one GIF's zero padding): cutting only those leaves the image whole, so the cuts
      // stay inside the image proper.
      const fractions = image.includes("ultrahdr") ? [0.1, 0.3] : [0.1, 0.5, 0.8];
      const cuts = fractions.map((f) => Math.floor(bytes.length * f));
      for (const cut of cuts) {
        const truncated = path.join(dir, `cut-${cut}-${path.basename(image)}`);
        fs.writeFileSync(truncated, bytes.subarray(0, cut));
        expect(await structureFault(truncated, format), `${image} cut at ${cut} of ${bytes.length}`).to.be.a("string");
      }
    });
  }

  it("finds a PNG chunk whose bytes no longer match its CRC, and passes damage the CRC was recomputed over (left to the decode)", async () => {
    const source = path.join(FIXTURES, "image/png-rgb-8bit-200x133.png");
    const flipped = Buffer.from(fs.readFileSync(source));
    flipped[flipped.indexOf("IDAT") + 60] ^= 0xff;
    fs.writeFileSync(path.join(dir, "flipped.png"), flipped);
    expect(await structureFault(path.join(dir, "flipped.png"), "png")).to.match(/IDAT chunk .* fails its CRC/);
    writeDamagedPixelPng(source, path.join(dir, "damaged.png"));
    expect(await structureFault(path.join(dir, "damaged.png"), "png")).to.equal(undefined);
  });

  it("finds a JPEG segment that claims more bytes than the file has, and bytes where a marker must be", async () => {
    expect(await structureFault(path.join(FIXTURES, "invalid/corrupt-jpeg-header.jpg"), "jpg")).to.equal("the file ends before the image does");
    const bytes = Buffer.from(fs.readFileSync(path.join(FIXTURES, "image/jpg-baseline-rgb-320x240-test-pattern.jpg")));
    bytes[2] = 0x12; // the first marker's 0xFF prefix
    fs.writeFileSync(path.join(dir, "no-marker.jpg"), bytes);
    expect(await structureFault(path.join(dir, "no-marker.jpg"), "jpg")).to.match(/not a marker/);
  });
});
