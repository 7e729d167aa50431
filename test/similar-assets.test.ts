import { expect } from "chai";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import { bandNeighbours, bandsOf, bigintToHash, hammingDistance, perceptualHash } from "../src/assets/media/perceptual-hash";
import { stillBase } from "../src/assets/media/still-base";
import { DEFAULT_MAX_DISTANCE, MAX_DISTANCE } from "../src/assets/similar.service";
import { FIXTURES, api, gql, newUser, readyAsset, settled, uploadGraphQL, uploadRest } from "./helpers";
import { tusMetadata, tusRequest, tusUpload, uploadIdOf } from "./tus-helpers";
import { testService } from "./setup";
import { statementsOf } from "./statements";

const PHOTOS = ["image/webp-lossy-1024x772.webp", "image/gif-static-800x533-photo.gif", "image/jpg-progressive-file-type-logo-3000x1438.jpg", "image/jpg-baseline-rgb-320x240-test-pattern.jpg", "image/png-rgb-8bit-200x133.png"];
const hashOf = async (input: string | Buffer) => perceptualHash(await stillBase(input, { maxPixels: 100_000_000, timeoutMs: 30_000 }));

/** The transformations a copy of a picture goes through on its way round the web. */
async function copiesOf(file: string): Promise<Record<string, Buffer>> {
  const source = await sharp(file).rotate().toBuffer();
  const { width, height } = await sharp(source).metadata();
  const [w, h] = [width!, height!];
  return {
    resized: await sharp(source).resize(Math.round(w / 2)).png().toBuffer(),
    reencoded: await sharp(source).flatten({ background: "#ffffff" }).jpeg({ quality: 40 }).toBuffer(),
    cropped: await sharp(source).extract({ left: Math.round(w * 0.025), top: Math.round(h * 0.025), width: Math.round(w * 0.95), height: Math.round(h * 0.95) }).png().toBuffer(),
  };
}

describe("near-duplicates by perceptual hash", function () {
  this.timeout(120_000);

  it("keeps resized, re-encoded and slightly cropped copies within the default distance, and different pictures far outside the widest", async () => {
    const hashes: string[] = [];
    for (const photo of PHOTOS) {
      const original = await hashOf(path.join(FIXTURES, photo));
      hashes.push(original);
      for (const [how, copy] of Object.entries(await copiesOf(path.join(FIXTURES, photo)))) {
        expect(hammingDistance(original, await hashOf(copy)), `${photo} ${how}`).to.be.at.most(DEFAULT_MAX_DISTANCE);
      }
    }
    for (let i = 0; i < hashes.length; i++) {
      for (let j = i + 1; j < hashes.length; j++) expect(hammingDistance(hashes[i], hashes[j]), `${PHOTOS[i]} vs ${PHOTOS[j]}`).to.be.greaterThan(MAX_DISTANCE);
    }
  });

  it("finds every hash within the distance through the bands (pigeonhole over four 16-bit bands)", () => {
    expect(bandNeighbours(0xabcd, 0)).to.deep.equal([0xabcd]);
    for (const [radius, count] of [[1, 17], [2, 137], [3, 697]]) {
      const values = bandNeighbours(0x1234, radius);
      expect(values, `radius ${radius}`).to.have.length(count);
      expect(new Set(values).size).to.equal(count);
      expect(values.every((v) => hammingDistance(v.toString(16).padStart(16, "0"), "0000000000001234") <= radius)).to.equal(true);
    }
    // Random pairs at every distance up to the widest: some band of one lies among the other's probes.
    let seed = 7;
    const random16 = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
    for (let trial = 0; trial < 500; trial++) {
      const hash = Array.from({ length: 4 }, () => random16().toString(16).padStart(4, "0")).join("");
      const distance = trial % (MAX_DISTANCE + 1);
      let other = BigInt(`0x${hash}`);
      const flipped = new Set<number>();
      while (flipped.size < distance) flipped.add(random16() % 64);
      for (const bit of flipped) other ^= 1n << BigInt(bit);
      const near = other.toString(16).padStart(16, "0");
      expect(hammingDistance(hash, near)).to.equal(distance);
      const probes = bandsOf(hash).map((band) => new Set(bandNeighbours(band, Math.floor(distance / 4))));
      expect(bandsOf(near).some((band, i) => probes[i].has(band)), `${hash} ~ ${near}`).to.equal(true);
    }
  });

  it("lists an asset's near-duplicates over REST and GraphQL, nearest first, only the caller's, and names them when the copy becomes ready", async () => {
    const [user, other] = [await newUser(), await newUser()];
    const photo = path.join(FIXTURES, PHOTOS[0]);
    const copies = await copiesOf(photo);
    const original = await readyAsset(user, photo);
    const resized = await readyAsset(user, { bytes: copies.resized, filename: "resized.png" });
    const cropped = await readyAsset(user, { bytes: copies.cropped, filename: "cropped.png" });
    const different = await readyAsset(user, path.join(FIXTURES, PHOTOS[1]));
    await readyAsset(other, { bytes: copies.reencoded, filename: "someone-elses.jpg" });

    const similar = await api(user, "GET", `/v1/assets/${original.asset_id}/similar`);
    expect(similar.status).to.equal(200);
    const found = similar.body.items.map((i: { asset: { asset_id: string }; distance: number }) => [i.asset.asset_id, i.distance]);
    // Nearest first; of equal distance the newer (cropped) first.
    const expected = [
      [resized.asset_id, hammingDistance(original.visual.perceptual_hash, resized.visual.perceptual_hash), 0],
      [cropped.asset_id, hammingDistance(original.visual.perceptual_hash, cropped.visual.perceptual_hash), 1],
    ].sort((a, b) => (a[1] as number) - (b[1] as number) || (b[2] as number) - (a[2] as number));
    expect(found).to.deep.equal(expected.map(([id, distance]) => [id, distance]));
    expect(found.map((f: unknown[]) => f[0])).to.not.include(different.asset_id);
    expect(similar.body.items[0].asset).to.have.property("visual");

    const exact = await api(user, "GET", `/v1/assets/${original.asset_id}/similar?max_distance=0&limit=1`);
    expect(exact.body.items.every((i: { distance: number }) => i.distance === 0)).to.equal(true);

    const viaGraphQL = await gql(user, `query($id: ID!) { similarAssets(id: $id) { distance asset { id name visual { perceptualHash } } } }`, { id: original.asset_id });
    expect(viaGraphQL.body.errors).to.equal(undefined);
    expect(viaGraphQL.body.data.similarAssets.map((s: { asset: { id: string }; distance: number }) => [s.asset.id, s.distance])).to.deep.equal(found);

    // The copy's `ready` entry in the audit trail (and its event and webhook) names the original.
    const activity = await api(user, "GET", `/v1/assets/${resized.asset_id}/activity`);
    const readyEntry = activity.body.items.find((e: { type: string }) => e.type === "ready");
    expect(readyEntry.after.near_duplicates.map((n: { asset_id: string }) => n.asset_id)).to.include(original.asset_id);

    expect((await api(other, "GET", `/v1/assets/${original.asset_id}/similar`)).status).to.equal(404);
    const tooWide = await api(user, "GET", `/v1/assets/${original.asset_id}/similar?max_distance=${MAX_DISTANCE + 1}`);
    expect([tooWide.status, tooWide.body.error.code]).to.deep.equal([400, "VALIDATION_FAILED"]);
    const badFirst = await gql(user, `query($id: ID!) { similarAssets(id: $id, first: 0) { distance } }`, { id: original.asset_id });
    expect(badFirst.body.errors![0].extensions).to.deep.include({ code: "VALIDATION_FAILED" });
    expect(badFirst.body.errors![0].extensions.details.fields).to.have.property("first");
  });

  it("answers an upload that asks (find_similar) with its near-duplicates, hashed at upload exactly as the job hashes it, over REST, GraphQL and tus", async () => {
    const [user, other] = [await newUser(), await newUser()];
    const photo = path.join(FIXTURES, PHOTOS[0]);
    const copies = await copiesOf(photo);
    const original = await readyAsset(user, photo);
    const db = testService().runtime.services.db;
    const storedHash = async (assetId: string) => {
      const [row] = await db.query(`SELECT phash::text AS phash FROM assets WHERE asset_id = $1`, [assetId]);
      return row.phash === null ? null : bigintToHash(row.phash);
    };
    const workers = testService().runtime.workers!;
    // No job runs while these uploads answer: what they report comes from the upload itself.
    await workers.pause();
    const hashedAtUpload = new Map<string, string | null>();
    let resizedId: string;
    try {
      const resized = await uploadRest(user, { bytes: copies.resized, filename: "resized.png" }, { find_similar: "true" });
      expect(resized.status, JSON.stringify(resized.body)).to.equal(201);
      resizedId = resized.body.asset_id;
      expect(resized.body.status).to.equal("processing");
      expect(resized.body.near_duplicates).to.have.length(1);
      expect(resized.body.near_duplicates[0].asset_id).to.equal(original.asset_id);
      expect(resized.body.near_duplicates[0].distance).to.be.at.most(DEFAULT_MAX_DISTANCE);
      hashedAtUpload.set(resizedId, await storedHash(resizedId));

      const unasked = await uploadRest(user, { bytes: copies.reencoded, filename: "reencoded.jpg" });
      expect([unasked.status, unasked.body.near_duplicates]).to.deep.equal([201, null]);
      expect(await storedHash(unasked.body.asset_id)).to.equal(null);
      const different = await uploadRest(user, path.join(FIXTURES, PHOTOS[1]), { find_similar: "true" });
      expect([different.status, different.body.near_duplicates]).to.deep.equal([201, []]);
      const audio = await uploadRest(user, path.join(FIXTURES, "audio/wav-pcm-s16-stereo-22k.wav"), { find_similar: "true" });
      expect([audio.status, audio.body.near_duplicates]).to.deep.equal([201, []]);
      const elsewhere = await uploadRest(other, { bytes: copies.resized, filename: "theirs.png" }, { find_similar: "true" });
      expect([elsewhere.status, elsewhere.body.near_duplicates]).to.deep.equal([201, []]);
      const badFlag = await uploadRest(user, { bytes: copies.cropped, filename: "cropped.png" }, { find_similar: "yes" });
      expect([badFlag.status, badFlag.body.error.code]).to.deep.equal([400, "VALIDATION_FAILED"]);

      // GraphQL: the mutation's answer carries them as the asset's nearDuplicates (the copy hashed at upload included).
      const query = `mutation Upload($file: Upload!, $input: UploadAssetInput) { uploadAsset(file: $file, input: $input) { id status nearDuplicates { distance asset { id } } } }`;
      const viaGraphQL = await uploadGraphQL(user, { bytes: copies.cropped, filename: "cropped.png" }, { findSimilar: true }, query);
      expect(viaGraphQL.body.errors).to.equal(undefined);
      const cropped = viaGraphQL.body.data.uploadAsset;
      expect(cropped.nearDuplicates.map((n: { asset: { id: string } }) => n.asset.id).sort()).to.deep.equal([original.asset_id, resizedId].sort());
      hashedAtUpload.set(cropped.id, await storedHash(cropped.id));
      const unaskedGraphQL = await uploadGraphQL(user, { bytes: copies.cropped, filename: "cropped-again.png" }, { onDuplicate: "KEEP" }, query);
      expect(unaskedGraphQL.body.data.uploadAsset.nearDuplicates).to.equal(null);

      // tus: the hash is made when the upload completes, so /similar answers at once.
      const dir = await fs.mkdtemp(path.join(os.tmpdir(), "tus-copy-"));
      try {
        await fs.writeFile(path.join(dir, "copy.png"), copies.resized);
        const tus = await tusUpload(testService().baseUrl, user, path.join(dir, "copy.png"), { metadata: { filename: "copy.png", on_duplicate: "keep", find_similar: "true" } });
        const tusAsset = (await api(user, "GET", `/v1/uploads/${uploadIdOf(tus.url)}`)).body.asset_id;
        const similar = await api(user, "GET", `/v1/assets/${tusAsset}/similar`);
        expect(similar.body.items.map((i: { asset: { asset_id: string } }) => i.asset.asset_id)).to.include(original.asset_id);
        const refused = await tusRequest(user, "POST", "/v1/uploads", { "Upload-Length": "10", "Upload-Metadata": tusMetadata({ filename: "x.png", find_similar: "maybe" }) });
        expect(refused.status).to.equal(400);
      } finally {
        await fs.rm(dir, { recursive: true, force: true });
      }

      // A logo drawn from SVG and a video's poster are hashed ahead too.
      for (const file of ["logo/logo-sharp-viewbox-only.svg", "video/mov-h264-no-audio-640x360-29.97.mov"]) {
        const upload = await uploadRest(user, path.join(FIXTURES, file), { find_similar: "true", ...(file.endsWith(".svg") && { asset_type: "logo" }) });
        expect(upload.status, JSON.stringify(upload.body)).to.equal(201);
        expect(upload.body.near_duplicates, file).to.be.an("array");
        hashedAtUpload.set(upload.body.asset_id, await storedHash(upload.body.asset_id));
      }
    } finally {
      await workers.resume();
    }
    // The job's hash of each is the upload's, bit for bit.
    for (const [assetId, atUpload] of hashedAtUpload) {
      const ready = await settled(user, assetId);
      expect(ready.status, ready.status_reason).to.equal("ready");
      expect(atUpload, assetId).to.match(/^[0-9a-f]{16}$/);
      expect(ready.visual.perceptual_hash, assetId).to.equal(atUpload);
    }
  });

  it("checks distances inside the four band indexes, reading the table only for near rows", async () => {
    const user = await newUser();
    const asset = await readyAsset(user, path.join(FIXTURES, PHOTOS[2]));
    const db = testService().runtime.services.db;
    const statements = await statementsOf(db, () => testService().runtime.services.similar.similar(user.userId, asset.asset_id));
    const near = statements.find((s) => s.query.includes("unnest"))!;
    const runner = db.createQueryRunner();
    await runner.startTransaction();
    const m = runner.manager;
    let plan: string;
    try {
      // A library of 50,000 hashed pictures, inside this transaction only (its rows and
      // its statistics roll back): on a handful of rows the planner would rightly read them all.
      // The seed is setup, not the statement under test: on a busy machine it can take longer than
      // the service's statement timeout.
      await m.query("SET LOCAL statement_timeout = 0");
      await m.query(
        `INSERT INTO assets (user_id, name, asset_type, mime_type, file_extension, file_size, storage_path, original_filename, checksum, status, current_version, phash)
         SELECT $1, 'seeded ' || g, 'image', 'image/png', 'png', 1, 'seed', 'seed.png', repeat('0', 64), 'ready', 1,
                ((floor(random() * 4294967296)::bigint - 2147483648) << 32) | floor(random() * 4294967296)::bigint
           FROM generate_series(1, 50000) g`,
        [user.userId],
      );
      await m.query("ANALYZE assets");
      const rows: Array<{ "QUERY PLAN": string }> = await m.query(`EXPLAIN ${near.query}`, near.parameters);
      plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    for (let band = 0; band < 4; band++) expect(plan, plan).to.include(`Index Only Scan using assets_phash_band${band}_idx`);
    expect(plan, plan).to.not.match(/Seq Scan on assets|Bitmap Heap Scan on assets/);
  });
});
