import { expect } from "chai";
import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { api, gql, newUser, settled, uploadRest, type TestUser } from "./helpers";
import { testService } from "./setup";

async function image(user: TestUser, n: number, fields: Record<string, string> = {}): Promise<string> {
  const bytes = await sharp({ create: { width: 64 + n, height: 64, channels: 3, background: { r: n % 256, g: 10, b: 200 } } }).png().toBuffer();
  const { status, body } = await uploadRest(user, { bytes, filename: `ref${n}.png` }, fields);
  expect(status, JSON.stringify(body)).to.equal(201);
  return body.asset_id;
}

describe("references", function () {
  this.timeout(60_000);

  it("a resource's save replaces its set, its delete removes it, and assets list where they are used", async () => {
    const user = await newUser();
    const [a, b] = [await image(user, 1), await image(user, 2)];
    const project = randomUUID();
    const saved = await api(user, "PUT", `/v1/references/project/${project}`, {
      references: [{ asset_id: a, usage_type: "thumbnail" }, { asset_id: b, usage_type: "background" }, { asset_id: a, usage_type: "thumbnail" }],
    });
    expect(saved.body.items.map((r: { asset_id: string; usage_type: string }) => [r.asset_id, r.usage_type])).to.deep.equal([[b, "background"], [a, "thumbnail"]]);
    const resaved = await api(user, "PUT", `/v1/references/project/${project}`, { references: [{ asset_id: a, usage_type: "overlay" }] });
    expect(resaved.body.items).to.have.length(1);
    expect((await api(user, "GET", `/v1/assets/${b}/references`)).body.items).to.deep.equal([]);
    const uses = await api(user, "GET", `/v1/assets/${a}/references`);
    expect(uses.body.items[0]).to.include({ resource_type: "project", resource_id: project, usage_type: "overlay" });
    expect((await api(user, "GET", `/v1/assets/${a}`)).body.references_count).to.equal(1);
    const template = randomUUID();
    const viaGraphQL = await gql(user, `mutation($t: ID!, $a: ID!) { setResourceReferences(resourceType: TEMPLATE, resourceId: $t, references: [{ assetId: $a, usageType: LOGO }]) { usageType } }`, { t: template, a });
    expect(viaGraphQL.body.data.setResourceReferences).to.deep.equal([{ usageType: "LOGO" }]);
    // Every usage type is in the enum; which resource type may use which is the service's rule.
    const wrongUse = await gql(user, `mutation($t: ID!, $a: ID!) { setResourceReferences(resourceType: TEMPLATE, resourceId: $t, references: [{ assetId: $a, usageType: OVERLAY }]) { usageType } }`, { t: template, a });
    expect(wrongUse.body.errors?.[0].extensions.code).to.equal("VALIDATION_FAILED");
    expect((await api(user, "DELETE", `/v1/references/project/${project}`)).body).to.deep.equal({ removed: 1 });
    const removed = await gql(user, `mutation($t: ID!) { removeResourceReferences(resourceType: TEMPLATE, resourceId: $t) }`, { t: template });
    expect(removed.body.data.removeResourceReferences).to.equal(1);
    expect((await gql(user, `query($id: ID!) { asset(id: $id) { referencesCount references { id } } }`, { id: a })).body.data.asset).to.deep.equal({ referencesCount: 0, references: [] });
  });

  it("check usage types against the resource type, and refuse unknown resource types", async () => {
    const user = await newUser();
    const a = await image(user, 3);
    const wrong = await api(user, "PUT", `/v1/references/template/${randomUUID()}`, { references: [{ asset_id: a, usage_type: "background" }] });
    expect([wrong.status, wrong.body.error.code]).to.deep.equal([400, "VALIDATION_FAILED"]);
    expect((await api(user, "PUT", `/v1/references/batch/${randomUUID()}`, { references: [{ asset_id: a, usage_type: "shared_asset" }] })).status).to.equal(200);
    expect((await api(user, "PUT", `/v1/references/playlist/${randomUUID()}`, { references: [] })).status).to.equal(400);
    expect((await api(user, "PUT", `/v1/references/project/not-a-uuid`, { references: [] })).status).to.equal(400);
  });

  it("reach only the caller's own live assets; one stranger's asset and nothing changes", async () => {
    const user = await newUser();
    const stranger = await newUser();
    const mine = await image(user, 4);
    const theirs = await image(stranger, 5);
    const project = randomUUID();
    await api(user, "PUT", `/v1/references/project/${project}`, { references: [{ asset_id: mine, usage_type: "intro" }] });
    const refused = await api(user, "PUT", `/v1/references/project/${project}`, { references: [{ asset_id: mine, usage_type: "outro" }, { asset_id: theirs, usage_type: "audio" }] });
    expect([refused.status, refused.body.error.code]).to.deep.equal([404, "NOT_FOUND"]);
    expect((await api(user, "GET", `/v1/assets/${mine}/references`)).body.items.map((r: { usage_type: string }) => r.usage_type)).to.deep.equal(["intro"]);
    expect((await api(stranger, "GET", `/v1/assets/${mine}/references`)).status).to.equal(404);
  });

  it("protect a referenced asset from deletion unless forced, which removes its references", async () => {
    const user = await newUser();
    const a = await image(user, 6);
    const project = randomUUID();
    await api(user, "PUT", `/v1/references/project/${project}`, { references: [{ asset_id: a, usage_type: "background" }] });
    const refused = await gql(user, `mutation($id: ID!) { deleteAsset(id: $id) { status } }`, { id: a });
    expect(refused.body.errors?.[0].extensions.code).to.equal("ASSET_IN_USE");
    expect(refused.body.errors?.[0].extensions.details.references).to.deep.equal([{ resource_type: "project", resource_id: project, usage_type: "background" }]);
    const forced = await gql(user, `mutation($id: ID!) { deleteAsset(id: $id, force: true) { status referencesCount } }`, { id: a });
    expect(forced.body.data.deleteAsset).to.deep.equal({ status: "DELETED", referencesCount: 0 });
    const onDeleted = await api(user, "PUT", `/v1/references/project/${project}`, { references: [{ asset_id: a, usage_type: "background" }] });
    expect(onDeleted.status, "a deleted asset cannot be referenced").to.equal(404);
  });

  it("never let a reference survive to a deleted asset when a save races a delete", async () => {
    const user = await newUser();
    const outcomes = new Set<string>();
    for (let round = 0; round < 25; round++) {
      const a = await image(user, 100 + round);
      const [save, remove] = await Promise.all([
        api(user, "PUT", `/v1/references/project/${randomUUID()}`, { references: [{ asset_id: a, usage_type: "thumbnail" }] }),
        api(user, "DELETE", `/v1/assets/${a}`),
      ]);
      outcomes.add(`${save.status}/${remove.status}`);
      expect([save.status, remove.status].every((s) => s < 500)).to.equal(true);
    }
    const [{ dangling }] = await testService().runtime.services.db.query(
      `SELECT count(*)::int AS dangling FROM asset_references r JOIN assets a USING (asset_id) WHERE a.user_id = $1 AND a.status = 'deleted'`,
      [user.userId],
    );
    expect(dangling).to.equal(0);
    // Either the save won (the delete is refused as in use) or the delete won (the save finds no asset).
    for (const outcome of outcomes) expect(["200/409", "404/200"]).to.include(outcome);
  });

  it("restore a deleted asset with its folder and tag counts", async () => {
    const user = await newUser();
    const folder = (await api(user, "POST", "/v1/assets/folders", { name: "Back" })).body.folder_id;
    const a = await image(user, 7, { folder_id: folder, tags: "keep" });
    await settled(user, a);
    await api(user, "DELETE", `/v1/assets/${a}`);
    const restored = await api(user, "POST", `/v1/assets/${a}/restore`);
    expect(restored.body).to.include({ status: "ready" });
    expect(restored.body.folder.folder_id).to.equal(folder);
    expect((await api(user, "GET", "/v1/assets/folders")).body.items[0].asset_count).to.equal(1);
    expect((await api(user, "GET", "/v1/assets/tags")).body.items[0].usage_count).to.equal(1);
    expect((await api(user, "GET", "/v1/assets")).body.total).to.equal(1);
    const again = await gql(user, `mutation($id: ID!) { restoreAsset(id: $id) { status } }`, { id: a });
    expect(again.body.data.restoreAsset.status, "restoring a live asset changes nothing").to.equal("READY");
  });
});
