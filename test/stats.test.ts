import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { api, gql, newUser } from "./helpers";
import { seedAssets } from "./factories";

describe("usage statistics", () => {
  it("report totals, references by resource and usage type, most-used assets with their projects, and recent uses", async () => {
    const user = await newUser();
    const other = await newUser();
    const [logo, music, photo] = await seedAssets(user.userId, [
      { name: "logo", assetType: "logo", fileSize: 1000 },
      { name: "music", assetType: "audio", fileSize: 50_000 },
      { name: "photo", assetType: "image", fileSize: 3000 },
    ]);
    await seedAssets(user.userId, [{ name: "gone", assetType: "image", fileSize: 999_999, status: "deleted" }]);
    await seedAssets(other.userId, [{ name: "theirs", assetType: "video", fileSize: 10 }]);
    const [p1, p2, t1] = [randomUUID(), randomUUID(), randomUUID()];
    await api(user, "PUT", `/v1/references/project/${p1}`, { references: [{ asset_id: logo, usage_type: "overlay" }, { asset_id: music, usage_type: "intro" }] });
    await api(user, "PUT", `/v1/references/project/${p2}`, { references: [{ asset_id: logo, usage_type: "thumbnail" }, { asset_id: logo, usage_type: "overlay" }] });
    await api(user, "PUT", `/v1/references/template/${t1}`, { references: [{ asset_id: logo, usage_type: "logo" }] });

    const { body } = await api(user, "GET", "/v1/assets/stats");
    expect(body.totals).to.deep.equal({
      assets: 3,
      bytes: 54_000,
      by_type: [
        { asset_type: "image", assets: 1, bytes: 3000 },
        { asset_type: "audio", assets: 1, bytes: 50_000 },
        { asset_type: "logo", assets: 1, bytes: 1000 },
      ],
    });
    expect(body.references.total).to.equal(5);
    expect(body.references.by_resource_type).to.deep.equal([{ key: "project", count: 4 }, { key: "template", count: 1 }]);
    expect(body.references.by_usage_type).to.deep.equal([{ key: "overlay", count: 2 }, { key: "intro", count: 1 }, { key: "logo", count: 1 }, { key: "thumbnail", count: 1 }]);
    expect(body.most_used.map((m: { asset_id: string; references: number; projects: string[] }) => [m.asset_id, m.references, m.projects])).to.deep.equal([
      [logo, 4, [p1, p2].sort()],
      [music, 1, [p1]],
    ]);
    expect(body.most_used.map((m: { asset_id: string }) => m.asset_id)).to.not.include(photo);
    expect(body.recent_uses).to.have.length(5);
    expect(body.recent_uses[0]).to.include({ resource_type: "template", resource_id: t1, usage_type: "logo", name: "logo" });

    const graphql = await gql(user, `{ assetStats { totals { assets bytes } references { total } mostUsed { name references } } }`);
    expect(graphql.body.data.assetStats).to.deep.equal({
      totals: { assets: 3, bytes: 54_000 },
      references: { total: 5 },
      mostUsed: [{ name: "logo", references: 4 }, { name: "music", references: 1 }],
    });
  });
});
