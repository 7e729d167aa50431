import { expect } from "chai";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { FIXTURES, api, gql, newUser, uploadRest, type TestUser } from "./helpers";
import { seedAssets } from "./factories";
import { testService } from "./setup";

const db = () => testService().runtime.services.db;

async function tagsOf(user: TestUser, assetId: string): Promise<string[]> {
  return (await api(user, "GET", `/v1/assets/${assetId}`)).body.tags.map((t: { name: string }) => t.name);
}

/** usage_count equals a recount of the live assets carrying each tag. */
async function expectExactUsage(userId: string): Promise<void> {
  const rows: Array<{ name: string; cached: number; actual: number }> = await db().query(
    `SELECT t.name, t.usage_count AS cached,
            (SELECT count(*)::int FROM asset_tags at JOIN assets a USING (asset_id) WHERE at.tag_id = t.tag_id AND a.status <> 'deleted') AS actual
       FROM tags t WHERE t.user_id = $1`,
    [userId],
  );
  for (const row of rows) expect(row.cached, `tag ${row.name}`).to.equal(row.actual);
}

describe("tags", () => {
  it("are unique per user whatever their case, for create and rename", async () => {
    const user = await newUser();
    const brand = await api(user, "POST", "/v1/assets/tags", { name: "Brand", color: "#ff0000" });
    expect(brand.status).to.equal(201);
    const clash = await api(user, "POST", "/v1/assets/tags", { name: "BRAND" });
    expect([clash.status, clash.body.error.code]).to.deep.equal([409, "NAME_CONFLICT"]);
    const intro = await gql(user, `mutation { createTag(input: { name: "intro" }) { id } }`);
    const rename = await gql(user, `mutation($id: ID!) { updateTag(id: $id, input: { name: "brand" }) { id } }`, { id: intro.body.data.createTag.id });
    expect(rename.body.errors?.[0].extensions.code).to.equal("NAME_CONFLICT");
    const recolor = await api(user, "PUT", `/v1/assets/tags/${brand.body.tag_id}`, { color: "#00f" });
    expect(recolor.body).to.include({ name: "Brand", color: "#00f" });
    expect((await api(user, "POST", "/v1/assets/tags", { name: "x", color: "red" })).status).to.equal(400);
    const other = await newUser();
    expect((await api(other, "POST", "/v1/assets/tags", { name: "brand" })).status, "another user may use the name").to.equal(201);
  });

  it("are attached (and created) by upload, added and removed per asset, and unlinked when deleted", async () => {
    const user = await newUser();
    const { body } = await uploadRest(user, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"), { tags: "Brand,intro,brand" });
    expect(body.tags.map((t: { name: string }) => t.name)).to.deep.equal(["Brand", "intro"]);
    await api(user, "POST", `/v1/assets/${body.asset_id}/tags`, { tags: ["outro", "INTRO"] });
    expect(await tagsOf(user, body.asset_id)).to.deep.equal(["Brand", "intro", "outro"]);
    const removed = await api(user, "DELETE", `/v1/assets/${body.asset_id}/tags`, { tags: ["brand", "never-existed"] });
    expect(removed.status).to.equal(204);
    expect(await tagsOf(user, body.asset_id)).to.deep.equal(["intro", "outro"]);
    const outro = (await api(user, "GET", "/v1/assets/tags")).body.items.find((t: { name: string }) => t.name === "outro");
    expect((await api(user, "DELETE", `/v1/assets/tags/${outro.tag_id}`)).body.name).to.equal("outro");
    expect(await tagsOf(user, body.asset_id)).to.deep.equal(["intro"]);
    await expectExactUsage(user.userId);
  });

  it("bulk-apply all or nothing: one unknown or foreign asset and nothing changes", async () => {
    const user = await newUser();
    const stranger = await newUser();
    const mine = await seedAssets(user.userId, [{ name: "a" }, { name: "b" }, { name: "c" }]);
    const [theirs] = await seedAssets(stranger.userId, [{ name: "z" }]);
    for (const intruder of [theirs, randomUUID(), "not-a-uuid"]) {
      const refused = await api(user, "POST", "/v1/assets/tags/bulk", { asset_ids: [...mine, intruder], tags: ["season-1", "promo"] });
      expect([refused.status, refused.body.error.code]).to.deep.equal([404, "NOT_FOUND"]);
    }
    expect((await api(user, "GET", "/v1/assets/tags")).body.items, "no tag was created").to.deep.equal([]);
    const applied = await api(user, "POST", "/v1/assets/tags/bulk", { asset_ids: mine, tags: ["season-1", "promo"] });
    expect(applied.body.tags.map((t: { usage_count: number }) => t.usage_count)).to.deep.equal([3, 3]);
    const again = await gql(user, `mutation($ids: [ID!]!) { tagAssets(assetIds: $ids, tags: ["promo"]) { name usageCount } }`, { ids: mine });
    expect(again.body.data.tagAssets, "applying twice counts once").to.deep.equal([{ name: "promo", usageCount: 3 }]);
    const untag = await gql(user, `mutation($ids: [ID!]!) { untagAssets(assetIds: $ids, tags: ["PROMO"]) }`, { ids: [mine[0], theirs] });
    expect(untag.body.errors?.[0].extensions.code).to.equal("NOT_FOUND");
    expect((await gql(user, `{ tags { name usageCount } }`)).body.data.tags).to.deep.equal([{ name: "promo", usageCount: 3 }, { name: "season-1", usageCount: 3 }]);
  });

  it("keep usage_count exact through a random sequence of operations", async () => {
    const user = await newUser();
    const assets = await seedAssets(user.userId, Array.from({ length: 8 }, (_, i) => ({ name: `asset ${i}` })));
    const names = ["red", "green", "blue", "Teal"];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const some = <T>(items: T[]) => items.filter(() => random(2) === 0).concat(items[random(items.length)]);
    for (let step = 0; step < 40; step++) {
      const op = random(6);
      if (op <= 1) await api(user, "POST", "/v1/assets/tags/bulk", { asset_ids: some(assets), tags: some(names) });
      else if (op === 2) await gql(user, `mutation($ids: [ID!]!, $t: [String!]!) { untagAssets(assetIds: $ids, tags: $t) }`, { ids: some(assets), t: some(names).map((n) => n.toUpperCase()) });
      else if (op === 3) await api(user, "DELETE", `/v1/assets/${assets[random(assets.length)]}?force=true`);
      else if (op === 4) {
        const tags = (await api(user, "GET", "/v1/assets/tags")).body.items;
        if (tags.length > 0) await api(user, "DELETE", `/v1/assets/tags/${tags[random(tags.length)].tag_id}`);
      } else await api(user, "POST", `/v1/assets/${assets[random(assets.length)]}/tags`, { tags: some(names) });
      await expectExactUsage(user.userId);
    }
  });
});

describe("names that look alike", () => {
  const invisible: Array<[string, string]> = [
    ["a zero-width space", "brand\u200b"],
    ["a zero-width joiner between letters", "bra\u200dnd"],
    ["a bidi override", "\u202ednarb"],
    ["a left-to-right mark", "brand\u200e"],
    ["a control character", "brand\u0007"],
    ["an unassigned code point", "brand\u0378"],
    ["a lone surrogate", "brand\ud800"],
  ];

  it("refuse invisible, control and unassigned characters in tag and folder names", async () => {
    const user = await newUser();
    for (const [what, name] of invisible) {
      const tag = await api(user, "POST", "/v1/assets/tags", { name });
      expect([tag.status, tag.body.error?.code], `tag with ${what}`).to.deep.equal([400, "VALIDATION_FAILED"]);
      const folder = await api(user, "POST", "/v1/assets/folders", { name });
      expect([folder.status, folder.body.error?.code], `folder with ${what}`).to.deep.equal([400, "VALIDATION_FAILED"]);
    }
    expect((await api(user, "GET", "/v1/assets/tags")).body.items).to.deep.equal([]);
  });

  it("normalise to NFC, so a decomposed é is the same tag, and keep emoji written with joiners", async () => {
    const user = await newUser();
    expect((await api(user, "POST", "/v1/assets/tags", { name: "Caf\u00e9" })).status).to.equal(201);
    const decomposed = await api(user, "POST", "/v1/assets/tags", { name: "Cafe\u0301" });
    expect([decomposed.status, decomposed.body.error.code]).to.deep.equal([409, "NAME_CONFLICT"]);
    const coder = await api(user, "POST", "/v1/assets/tags", { name: "\u{1F469}\u200d\u{1F4BB} dev" });
    expect([coder.status, coder.body.name]).to.deep.equal([201, "\u{1F469}\u200d\u{1F4BB} dev"]);
  });

  it("keep a right-to-left mark in an asset name but refuse a bidi override", async () => {
    const user = await newUser();
    const file = path.join(FIXTURES, "image/png-rgb-8bit-200x133.png");
    const hebrew = await uploadRest(user, file, { name: "\u05e9\u05dc\u05d5\u05dd\u200f.png" });
    expect(hebrew.status).to.equal(201);
    const spoof = await uploadRest(user, file, { name: "invoice\u202egnp.exe", on_duplicate: "keep" });
    expect([spoof.status, spoof.body.error.code]).to.deep.equal([400, "VALIDATION_FAILED"]);
  });
});
