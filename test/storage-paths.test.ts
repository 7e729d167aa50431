import { expect } from "chai";
import { assetFileKey, resolveUnder } from "../src/assets/storage/paths";

const USER = "0b5c8d7e-1f2a-4b3c-8d9e-0f1a2b3c4d5e";
const ASSET = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
const base = { userId: USER, assetType: "image" as const, assetId: ASSET, createdAt: new Date("2026-03-07T23:59:59Z"), extension: "jpg" };

describe("storage paths", () => {
  it("follow assets/{user_id}/{asset_type}/{yyyy}/{mm}/{asset_id}.{ext}", () => {
    expect(assetFileKey(base)).to.equal(`assets/${USER}/image/2026/03/${ASSET}.jpg`);
  });

  it("give later versions and derivatives their own names beside the original", () => {
    const version = "5e0c2b1a-7d3f-4e8a-9b6c-1d2e3f4a5b6c";
    expect(assetFileKey({ ...base, versionId: version })).to.equal(`assets/${USER}/image/2026/03/${ASSET}.version-${version}.jpg`);
    expect(assetFileKey({ ...base, versionNumber: 3 })).to.equal(`assets/${USER}/image/2026/03/${ASSET}.v3.jpg`);
    expect(assetFileKey({ ...base, versionNumber: 2, variant: "thumbnail", extension: "webp" })).to.equal(
      `assets/${USER}/image/2026/03/${ASSET}.v2.thumbnail.webp`,
    );
  });

  const badParts: Array<[string, object]> = [
    ["a user id with a path", { userId: `../${USER}` }],
    ["a user id that is not a UUID", { userId: "alice" }],
    ["an asset id with a slash", { assetId: `${ASSET}/x` }],
    ["an extension with a dot", { extension: "jpg/../../x" }],
    ["an extension with a NUL", { extension: "jp\0g" }],
    ["an empty extension", { extension: "" }],
    ["a variant with a separator", { variant: "../thumb" }],
    ["version zero", { versionNumber: 0 }],
    ["a fractional version", { versionNumber: 1.5 }],
    ["a version id that is not a UUID", { versionId: "../x" }],
    ["a version id with a variant", { versionId: ASSET, variant: "thumbnail" }],
  ];
  for (const [name, part] of badParts) {
    it(`refuse ${name}`, () => {
      expect(() => assetFileKey({ ...base, ...part })).to.throw();
    });
  }

  const escapes = ["../etc/passwd", "assets/../../etc/passwd", "/etc/passwd", "assets/\0/x", ".", "", "assets/x/../../.."];
  for (const key of escapes) {
    it(`never resolve ${JSON.stringify(key)} outside the root`, () => {
      expect(() => resolveUnder("/srv/storage", key)).to.throw();
    });
  }

  it("resolve a proper key under the root", () => {
    expect(resolveUnder("/srv/storage", `assets/${USER}/x.jpg`)).to.equal(`/srv/storage/assets/${USER}/x.jpg`);
  });
});
