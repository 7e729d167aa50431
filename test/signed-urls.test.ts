import { expect } from "chai";
import path from "node:path";
import fs from "node:fs";
import { UrlSigner, signedPath } from "../src/assets/signed-urls";
import { AssetUrlBuilder } from "../src/assets/urls";
import { FIXTURES, api, gql, newUser, settled, uploadRest } from "./helpers";
import { TEST_AUTH_SECRET, testService } from "./setup";

const base = () => testService().baseUrl;

describe("signed URLs", function () {
  this.timeout(60_000);

  it("in asset responses let an <img> load the thumbnail and preview with no token, and stay the same URL for a while", async () => {
    const user = await newUser();
    const { body } = await uploadRest(user, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"));
    const asset = await settled(user, body.asset_id);
    const listed = (await api(user, "GET", "/v1/assets")).body.items[0];
    const viaGraphQL = (await gql(user, `query($id: ID!) { asset(id: $id) { urls { permanent download thumbnail preview } } }`, { id: body.asset_id })).body.data.asset.urls;
    // Every response within the rounding window hands out the very same URLs: caches can keep them.
    expect(listed.urls).to.deep.equal(asset.urls);
    expect(viaGraphQL).to.deep.equal(asset.urls);
    for (const variant of ["thumbnail", "preview"]) {
      const url = new URL(asset.urls[variant]);
      const lifetime = Number(url.searchParams.get("expires")) - Date.now() / 1000;
      expect(lifetime, `${variant} lifetime`).to.be.within(7 * 86_400 - 5, 8 * 86_400);
      const image = await fetch(url);
      expect([image.status, image.headers.get("content-type")]).to.deep.equal([200, "image/webp"]);
    }
    const downloadLifetime = Number(new URL(asset.urls.download).searchParams.get("expires")) - Date.now() / 1000;
    expect(downloadLifetime).to.be.within(900 - 5, 900 + 900 / 7 + 5);
    expect((await fetch(asset.urls.download)).status).to.equal(200);
    expect((await fetch(asset.urls.permanent)).status, "permanent stays authenticated").to.equal(401);
  });

  it("are signed once per asset, file and expiry window, however many pages list the asset", () => {
    const signer = new UrlSigner(TEST_AUTH_SECRET, 30 * 86_400);
    let signatures = 0;
    const sign = signer.sign.bind(signer);
    signer.sign = (target) => (signatures++, sign(target));
    const urls = new AssetUrlBuilder("https://assets.example", signer, { download: 3600, thumbnail: 7 * 86_400 });
    const asset = { id: "6f1c1c56-1d7b-4f0e-9a53-7d9f4b0c2a11", userId: "0d8e5c3a-7b4f-4f0e-8a53-2d9f4b0c2a22", currentVersion: 2 };
    const derivatives = [{ kind: "thumbnail" as const, mimeType: "image/webp", fileSize: 1, width: 150, height: 150 }, { kind: "preview" as const, mimeType: "image/webp", fileSize: 1, width: 600, height: 400 }];
    const now = Date.UTC(2026, 11, 7, 12);
    const first = urls.forAsset(asset, derivatives, now);
    expect(signatures).to.equal(3);
    expect(urls.forAsset(asset, derivatives, now)).to.deep.equal(first);
    expect(signatures).to.equal(3);
    // Each kept URL is the one a fresh signer would make, and verifies.
    const fresh = new AssetUrlBuilder("https://assets.example", new UrlSigner(TEST_AUTH_SECRET, 30 * 86_400), { download: 3600, thumbnail: 7 * 86_400 });
    expect(fresh.forAsset(asset, derivatives, now)).to.deep.equal(first);
    const thumbnail = new URL(first.thumbnail!);
    const [, , , assetId, version, variant] = thumbnail.pathname.split("/");
    const q = Object.fromEntries(thumbnail.searchParams);
    expect(signer.verify({ assetId, version, variant, user: q.user, expires: q.expires, sig: q.sig }, now)).to.include({ assetId: asset.id, versionNumber: 2, variant: "thumbnail" });
    // A new version, or the next window, is signed anew.
    expect(urls.forAsset({ ...asset, currentVersion: 3 }, derivatives, now).thumbnail).to.not.equal(first.thumbnail);
    expect(urls.forAsset(asset, derivatives, now + 2 * 86_400_000).thumbnail).to.not.equal(first.thumbnail);
    // 3 at first, 1 to verify, 3 for the new version, 3 for the next window.
    expect(signatures).to.equal(10);
  });

  it("open the file without a token until they expire, the download short-lived and the thumbnail long-lived", async () => {
    const user = await newUser();
    const file = path.join(FIXTURES, "logo/logo-sharp-viewbox-only.svg");
    const { body } = await uploadRest(user, file);
    await settled(user, body.asset_id);
    const urls = (await api(user, "GET", `/v1/assets/${body.asset_id}/urls`)).body;
    expect(urls.permanent).to.match(/\/download$/);
    const downloadLife = (Date.parse(urls.download.expires_at) - Date.now()) / 1000;
    const thumbLife = (Date.parse(urls.thumbnail.expires_at) - Date.now()) / 1000;
    expect(downloadLife).to.be.within(800, 900);
    expect(thumbLife).to.be.greaterThan(86_400);
    const original = await fetch(urls.download.url);
    expect(original.status).to.equal(200);
    expect(Buffer.from(await original.arrayBuffer()).equals(fs.readFileSync(file))).to.equal(true);
    expect(original.headers.get("content-security-policy")).to.equal("default-src 'none'");
    const thumbnail = await fetch(urls.thumbnail.url);
    expect([thumbnail.status, thumbnail.headers.get("content-type")]).to.deep.equal([200, "image/webp"]);
    expect(thumbnail.headers.get("cache-control")).to.match(/max-age=\d+/);
    const ranged = await fetch(urls.download.url, { headers: { Range: "bytes=0-9" } });
    expect(ranged.status).to.equal(206);

    // The same signature past its expiry: the signer itself is asked for a URL that ended a minute ago.
    const signer = new UrlSigner(TEST_AUTH_SECRET, 7 * 86_400);
    const target = { assetId: body.asset_id, versionNumber: 1, variant: "original" as const, userId: user.userId, expires: Math.floor(Date.now() / 1000) - 60 };
    const expired = await fetch(`${base()}${signedPath(target, signer.sign(target))}`);
    expect(expired.status).to.equal(403);
    expect(((await expired.json()) as any).error.code).to.equal("URL_EXPIRED");
    const live = { ...target, expires: Math.floor(Date.now() / 1000) + 60 };
    expect((await fetch(`${base()}${signedPath(live, signer.sign(live))}`)).status).to.equal(200);
  });

  it("fail with INVALID_SIGNATURE when any single field is changed", async () => {
    const user = await newUser();
    const other = await newUser();
    const { body } = await uploadRest(user, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"));
    await settled(user, body.asset_id);
    const created = await gql(user, `mutation($id: ID!) { createSignedUrl(assetId: $id, expiresIn: 600) { url expiresAt } }`, { id: body.asset_id });
    const url = new URL(created.body.data.createSignedUrl.url);
    expect((await fetch(url)).status).to.equal(200);
    const [, , , assetId, version, variant] = url.pathname.split("/");
    const changes: Record<string, (u: URL) => void> = {
      asset: (u) => (u.pathname = `/v1/files/${assetId.slice(0, -1)}${assetId.endsWith("a") ? "b" : "a"}/${version}/${variant}`),
      version: (u) => (u.pathname = `/v1/files/${assetId}/2/${variant}`),
      variant: (u) => (u.pathname = `/v1/files/${assetId}/${version}/thumbnail`),
      expiry: (u) => u.searchParams.set("expires", String(Number(u.searchParams.get("expires")) + 3600)),
      user: (u) => u.searchParams.set("user", other.userId),
      signature: (u) => u.searchParams.set("sig", `${u.searchParams.get("sig")!.slice(0, -2)}AA`),
      "missing signature": (u) => u.searchParams.delete("sig"),
    };
    for (const [field, change] of Object.entries(changes)) {
      const tampered = new URL(url);
      change(tampered);
      const response = await fetch(tampered);
      expect(response.status, field).to.equal(403);
      expect(((await response.json()) as any).error.code, field).to.equal("INVALID_SIGNATURE");
    }
  });

  it("are issued only for the owner's files, within the maximum lifetime", async () => {
    const user = await newUser();
    const stranger = await newUser();
    const { body } = await uploadRest(user, path.join(FIXTURES, "image/gif-static-200x133.gif"));
    const foreign = await gql(stranger, `mutation($id: ID!) { createSignedUrl(assetId: $id) { url } }`, { id: body.asset_id });
    expect(foreign.body.errors?.[0].extensions.code).to.equal("NOT_FOUND");
    const tooLong = await api(user, "GET", `/v1/assets/${body.asset_id}/urls?expires_in=99999999`);
    expect(tooLong.status).to.equal(400);
    // The variant is an enum: an unknown one is refused by the schema, before anything runs.
    const badVariant = await gql(user, `mutation($id: ID!) { createSignedUrl(assetId: $id, variant: POSTER) { url } }`, { id: body.asset_id });
    expect(badVariant.status).to.equal(400);
    expect(badVariant.body.errors?.[0].extensions.code).to.equal("GRAPHQL_VALIDATION_FAILED");
    await settled(user, body.asset_id);
    const thumbnail = await gql(user, `mutation($id: ID!) { createSignedUrl(assetId: $id, variant: THUMBNAIL) { url } }`, { id: body.asset_id });
    expect(new URL(thumbnail.body.data.createSignedUrl.url).pathname).to.match(/\/thumbnail$/);
    // A URL stops working once its asset is deleted, whatever its expiry.
    const { url } = (await gql(user, `mutation($id: ID!) { createSignedUrl(assetId: $id) { url } }`, { id: body.asset_id })).body.data.createSignedUrl;
    await api(user, "DELETE", `/v1/assets/${body.asset_id}`);
    expect((await fetch(url)).status).to.equal(404);
  });
});
