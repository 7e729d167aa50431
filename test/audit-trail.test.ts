import { expect } from "chai";
import fs from "node:fs/promises";
import path from "node:path";
import { removeExpiredActivity } from "../src/assets/activity/activity.repository";
import { FIXTURES, api, gql, newUser, settled, uploadRest, type TestUser } from "./helpers";
import { testService } from "./setup";

const db = () => testService().runtime.services.db;

/** The asset's history as REST pages it (newest first), every page followed. */
async function history(user: TestUser, assetId: string): Promise<any[]> {
  const entries: any[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await api(user, "GET", `/v1/assets/${assetId}/activity?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
    expect(page.status).to.equal(200);
    entries.push(...page.body.items);
    cursor = page.body.next_cursor;
  } while (cursor);
  return entries;
}

async function versionUpload(user: TestUser, assetId: string, file: string) {
  const form = new FormData();
  form.append("change_description", "second cut");
  form.append("file", new Blob([new Uint8Array(await fs.readFile(file))]), path.basename(file));
  return fetch(`${testService().baseUrl}/v1/assets/${assetId}/versions`, { method: "POST", headers: user.auth, body: form });
}

describe("audit trail", function () {
  this.timeout(120_000);

  it("records every state change of an asset with actor, request id and before/after, and pages through it", async () => {
    const a = await newUser();
    const folder = (await api(a, "POST", "/v1/assets/folders", { name: "audited" })).body.folder_id;
    const upload = await uploadRest(a, path.join(FIXTURES, "image/gif-static-200x133.gif"), { tags: "sky" });
    const assetId = upload.body.asset_id;
    await settled(a, assetId);
    const version = await versionUpload(a, assetId, path.join(FIXTURES, "image/gif-static-800x533-photo.gif"));
    expect(version.status, await version.clone().text()).to.equal(201);
    await settled(a, assetId);
    const rename = await api(a, "PUT", `/v1/assets/${assetId}`, { name: "Sunset", folder_id: folder });
    const rollback = await api(a, "POST", `/v1/assets/${assetId}/versions/1/rollback`);
    await api(a, "POST", `/v1/assets/${assetId}/tags`, { tags: ["sea"] });
    await api(a, "DELETE", `/v1/assets/${assetId}/tags`, { tags: ["sky"] });
    const project = "3f1c2f8e-9b7a-4c1e-8d2a-6b0e5f4a9c10";
    await api(a, "PUT", `/v1/references/project/${project}`, { references: [{ asset_id: assetId, usage_type: "background" }] });
    const deletion = await api(a, "DELETE", `/v1/assets/${assetId}?force=true`);
    expect(deletion.status).to.equal(200);
    await api(a, "POST", `/v1/assets/${assetId}/restore`);

    const entries = await history(a, assetId);
    const types = entries.map((e) => e.type).reverse();
    expect(types).to.include.ordered.members(["uploaded", "ready", "version_added", "ready", "updated", "rolled_back", "tagged", "untagged", "references_changed", "deleted", "restored"]);
    const byType = (t: string) => entries.find((e) => e.type === t);
    expect(byType("uploaded")).to.include({ actor: a.userId, request_id: upload.headers.get("x-request-id"), version_number: 1 });
    expect(byType("uploaded").after).to.deep.include({ asset_type: "image", tags: ["sky"] });
    expect(byType("version_added")).to.include({ version_number: 2, request_id: version.headers.get("x-request-id") });
    expect(byType("updated")).to.deep.include({ request_id: rename.headers.get("x-request-id"), before: { name: "gif-static-200x133", folder_id: null }, after: { name: "Sunset", folder_id: folder } });
    expect(byType("updated").folder_id).to.equal(folder);
    expect(byType("rolled_back")).to.deep.include({ request_id: rollback.headers.get("x-request-id"), before: { current_version: 2 }, after: { current_version: 1 } });
    expect(byType("tagged").after).to.deep.equal({ tags: ["sea"] });
    expect(byType("untagged").after).to.deep.equal({ tags: ["sky"] });
    expect(byType("references_changed")).to.deep.include({ before: { resource_type: "project", resource_id: project, usage_types: [] }, after: { resource_type: "project", resource_id: project, usage_types: ["background"] } });
    expect(byType("deleted").after).to.deep.equal({ status: "deleted", forced: true, references_removed: [{ resource_type: "project", resource_id: project, usage_type: "background" }] });
    expect(byType("deleted").request_id).to.equal(deletion.headers.get("x-request-id"));
    expect(byType("ready").actor).to.equal("system");
    // Ids grow with time: newest first.
    const ids = entries.map((e) => BigInt(e.activity_id));
    expect([...ids].sort((x, y) => (x > y ? -1 : 1))).to.deep.equal(ids);

    // GraphQL pages the same trail, on the asset and on its own.
    const viaGraphQL = await gql(a, `query($id: ID!) { asset(id: $id) { activity(limit: 2) { entries { type actor } nextCursor } } activityLog(assetId: $id, limit: 200) { entries { activityId type } } }`, { id: assetId });
    expect(viaGraphQL.body.errors).to.equal(undefined);
    expect((viaGraphQL.body.data as any).asset.activity.entries.map((e: any) => e.type)).to.deep.equal(["RESTORED", "DELETED"]);
    expect((viaGraphQL.body.data as any).asset.activity.nextCursor).to.be.a("string");
    expect((viaGraphQL.body.data as any).activityLog.entries.map((e: any) => e.activityId)).to.deep.equal(entries.map((e) => e.activity_id));
  });

  it("records pruned versions, a folder's forced delete and the purge, and keeps the history after the asset is gone", async () => {
    const a = await newUser();
    const folder = (await api(a, "POST", "/v1/assets/folders", { name: "doomed" })).body.folder_id;
    const assetId = (await uploadRest(a, path.join(FIXTURES, "image/jpg-grayscale-1-component.jpg"), { folder_id: folder })).body.asset_id;
    await settled(a, assetId);
    const removal = await api(a, "DELETE", `/v1/assets/folders/${folder}?force=true`);
    expect(removal.status).to.equal(200);
    await db().query(`UPDATE assets SET deleted_at = now() - interval '400 days' WHERE asset_id = $1`, [assetId]);
    await testService().runtime.services.purge.purgeExpired(30);
    expect((await api(a, "GET", `/v1/assets/${assetId}`)).status).to.equal(404);

    const entries = await history(a, assetId);
    expect(entries[0]).to.include({ type: "purged", actor: "system" });
    expect(entries[0].before).to.include({ name: "jpg-grayscale-1-component" });
    expect(entries[1]).to.include({ type: "deleted", request_id: removal.headers.get("x-request-id"), folder_id: folder });
    expect(entries[1].after).to.include({ folder_deleted: folder });
  });

  it("records a version pruned past the limit", async () => {
    const a = await newUser();
    const assetId = (await uploadRest(a, { bytes: Buffer.from("<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'/>"), filename: "v.svg" }, { asset_type: "logo" })).body.asset_id;
    for (let i = 2; i <= 11; i++) {
      const form = new FormData();
      form.append("file", new Blob([`<svg xmlns='http://www.w3.org/2000/svg' width='${i + 4}' height='4'/>`]), "v.svg");
      expect((await fetch(`${testService().baseUrl}/v1/assets/${assetId}/versions`, { method: "POST", headers: a.auth, body: form })).status).to.equal(201);
    }
    const pruned = (await history(a, assetId)).filter((e) => e.type === "version_deleted");
    expect(pruned.map((e) => [e.version_number, e.after.reason])).to.deep.equal([[1, "pruned"]]);
  });

  it("is the caller's own: another user's asset history is NOT_FOUND and their trail shows none of it", async () => {
    const a = await newUser();
    const b = await newUser();
    const assetId = (await uploadRest(a, path.join(FIXTURES, "image/gif-static-200x133.gif"))).body.asset_id;
    expect((await api(b, "GET", `/v1/assets/${assetId}/activity`)).status).to.equal(404);
    expect((await api(b, "GET", `/v1/assets/not-a-uuid/activity`)).status).to.equal(404);
    expect((await api(b, "GET", `/v1/activity`)).body.items).to.deep.equal([]);
    const mine = (await api(a, "GET", `/v1/activity`)).body.items;
    expect(mine.map((e: any) => e.asset_id)).to.include(assetId);
    const viaGraphQL = await gql(b, `query($id: ID!) { activityLog(assetId: $id) { entries { type } } }`, { id: assetId });
    expect(viaGraphQL.body.errors![0].extensions.code).to.equal("NOT_FOUND");
    expect((await api(a, "GET", `/v1/activity?cursor=bogus`)).status).to.equal(400);
  });

  it("drops entries past the retention", async () => {
    const a = await newUser();
    const assetId = (await uploadRest(a, path.join(FIXTURES, "image/gif-static-200x133.gif"))).body.asset_id;
    await settled(a, assetId);
    await db().query(`UPDATE asset_activity SET created_at = now() - interval '10 days' WHERE asset_id = $1 AND type = 'uploaded'`, [assetId]);
    expect(await removeExpiredActivity(db(), 5)).to.be.at.least(1);
    expect((await history(a, assetId)).map((e) => e.type)).to.deep.equal(["ready"]);
  });
});
