import { expect } from "chai";
import path from "node:path";
import { api, FIXTURES, newUser, uploadRest } from "./helpers";
import { keptCountDifferences } from "./kept-counts";
import { seedAssets } from "./factories";
import { testService } from "./setup";

async function expectOk(response: Promise<{ status: number; body: unknown }> | { status: number; body: unknown }): Promise<void> {
  const { status, body } = await response;
  expect(status, JSON.stringify(body)).to.be.within(200, 204);
}

/** The per-type/folder/status and per-tag counts search reads stay equal to a recount, through every path that changes an asset. */
describe("kept counts", function () {
  this.timeout(60_000);

  it("match a recount after uploads, moves, tagging, deletes, restores, a forced folder delete, a tag delete and a purge", async () => {
    const user = await newUser();
    const folder = (await api(user, "POST", "/v1/assets/folders", { name: "box" })).body.folder_id;
    const sub = (await api(user, "POST", "/v1/assets/folders", { name: "inner", parent_folder_id: folder })).body.folder_id;
    const uploaded = (await uploadRest(user, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"), { tags: "red,blue" })).body.asset_id;
    const seeded = await seedAssets(user.userId, [
      { name: "a", folderId: folder, tags: ["red"] },
      { name: "b", folderId: sub, tags: ["blue", "green"], assetType: "audio" },
      { name: "c", tags: ["green"], status: "processing" },
      { name: "d", folderId: sub },
    ]);
    expect(await keptCountDifferences()).to.deep.equal([]);

    await expectOk(api(user, "PUT", `/v1/assets/${uploaded}`, { folder_id: sub }));
    await expectOk(api(user, "POST", "/v1/assets/tags/bulk", { asset_ids: seeded, tags: ["bulk"] }));
    await expectOk(api(user, "DELETE", `/v1/assets/${seeded[0]}/tags`, { tags: ["red"] }));
    await expectOk(api(user, "DELETE", `/v1/assets/${seeded[2]}`));
    await expectOk(api(user, "POST", `/v1/assets/${seeded[2]}/restore`));
    await expectOk(api(user, "DELETE", `/v1/assets/${seeded[3]}`));
    expect(await keptCountDifferences()).to.deep.equal([]);

    await expectOk(api(user, "DELETE", `/v1/assets/folders/${folder}?force=true`));
    const green = (await api(user, "GET", "/v1/assets/tags")).body.items.find((t: { name: string }) => t.name === "green");
    await expectOk(api(user, "DELETE", `/v1/assets/tags/${green.tag_id}`));
    await testService().runtime.services.db.query(`UPDATE assets SET deleted_at = now() - interval '40 days' WHERE user_id = $1 AND status = 'deleted'`, [user.userId]);
    expect(await testService().runtime.services.purge.purgeExpired(30)).to.be.greaterThan(0);
    expect(await keptCountDifferences()).to.deep.equal([]);

    const browse = (await api(user, "GET", "/v1/assets")).body;
    expect(browse.total).to.equal(1);
    // Only "c" is left: the rest sat in the force-deleted folder tree, and is purged.
    expect(browse.facets.asset_type).to.deep.equal({ image: 1 });
  });
});
