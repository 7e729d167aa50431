import { expect } from "chai";
import path from "node:path";
import { FIXTURES, gql, newUser, uploadRest } from "./helpers";

const QUERY = `query($id: ID!) { asset(id: $id) { assetType typedMetadata {
  __typename
  ... on ImageMetadata { width height displayWidth displayHeight format colorSpace hasTransparency frames bitDepth progressive }
  ... on AudioMetadata { durationSeconds sampleRate channels bitrate codec }
  ... on VideoMetadata { durationSeconds vWidth: width vHeight: height fps codec hasAudio audioCodec rotation }
  ... on FontMetadata { family subfamily fontFormat: format glyphCount outlineFormat variable }
  ... on LogoMetadata { logoFormat: format lWidth: width lHeight: height vector logoTransparency: hasTransparency }
} } }`;

/** The typed metadata a frontend selects by fragment says what the REST metadata JSON says, per type. */
describe("typed metadata in GraphQL (a type per asset type)", function () {
  this.timeout(60_000);

  const cases: Array<[string, Record<string, string>, string, (rest: any, typed: any) => void]> = [
    ["image/png-rgba-8bit-partially-transparent.png", {}, "ImageMetadata", (m, t) => expect(t).to.deep.include({ width: m.width, height: m.height, format: m.format, hasTransparency: true, colorSpace: m.color_space, frames: m.frames })],
    ["audio/mp3-cbr128-stereo-44k-sine-iso-conformance.mp3", {}, "AudioMetadata", (m, t) => expect(t).to.deep.include({ durationSeconds: m.duration_seconds, sampleRate: 44100, channels: 2, codec: m.codec })],
    ["video/mov-h264-no-audio-640x360-29.97.mov", {}, "VideoMetadata", (m, t) => expect(t).to.deep.include({ durationSeconds: m.duration_seconds, vWidth: 640, vHeight: 360, codec: "h264", hasAudio: false, audioCodec: null })],
    ["font/ttf-variable-mada-vf.ttf", {}, "FontMetadata", (m, t) => expect(t).to.deep.include({ family: m.family, fontFormat: "ttf", glyphCount: m.glyph_count, variable: true })],
    ["logo/logo-sharp-viewbox-only.svg", {}, "LogoMetadata", (m, t) => expect(t).to.deep.include({ logoFormat: "svg", lWidth: m.width, lHeight: m.height, vector: true })],
    ["logo/logo-sav1-500x500-rgba.png", { asset_type: "logo" }, "LogoMetadata", (m, t) => expect(t).to.deep.include({ logoFormat: "png", lWidth: 500, lHeight: 500, vector: false, logoTransparency: m.has_transparency })],
  ];

  for (const [fixture, fields, typename, check] of cases) {
    it(`${typename} for ${path.basename(fixture)}`, async () => {
      const user = await newUser();
      const { status, body } = await uploadRest(user, path.join(FIXTURES, fixture), fields);
      expect(status, JSON.stringify(body)).to.equal(201);
      const response = await gql(user, QUERY, { id: body.asset_id });
      expect(response.body.errors, JSON.stringify(response.body.errors)).to.equal(undefined);
      const typed = response.body.data.asset.typedMetadata;
      expect(typed.__typename).to.equal(typename);
      check(body.metadata, typed);
    });
  }
});
