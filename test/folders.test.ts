import { expect } from "chai";
import path from "node:path";
import { FIXTURES, api, gql, newUser, uploadRest, type TestUser } from "./helpers";
import { testService } from "./setup";
import { addReference } from "./factories";

const db = () => testService().runtime.services.db;

async function mkdir(user: TestUser, name: string, parent?: string): Promise<string> {
  const { status, body } = await api(user, "POST", "/v1/assets/folders", { name, parent_folder_id: parent ?? null });
  expect(status, JSON.stringify(body)).to.equal(201);
  return body.folder_id;
}

async function chain(user: TestUser, names: string[], parent?: string): Promise<string[]> {
  const ids: string[] = [];
  for (const name of names) ids.push(await mkdir(user, name, ids[ids.length - 1] ?? parent));
  return ids;
}

/** The cached counts equal a recount of live assets. */
async function expectExactCounts(userId: string): Promise<void> {
  const rows: Array<{ folder_id: string; cached: number; actual: number }> = await db().query(
    `SELECT f.folder_id, f.asset_count AS cached,
            (SELECT count(*)::int FROM assets a WHERE a.folder_id = f.folder_id AND a.status <> 'deleted') AS actual
       FROM folders f WHERE f.user_id = $1`,
    [userId],
  );
  for (const row of rows) expect(row.cached, `folder ${row.folder_id}`).to.equal(row.actual);
}

describe("folders", function () {
  this.timeout(60_000);

  it("nest five levels deep and no deeper, counting top-level folders as level 1", async () => {
    const user = await newUser();
    const levels = await chain(user, ["1", "2", "3", "4", "5"]);
    const sixth = await api(user, "POST", "/v1/assets/folders", { name: "6", parent_folder_id: levels[4] });
    expect(sixth.status).to.equal(422);
    expect(sixth.body.error.code).to.equal("FOLDER_DEPTH_EXCEEDED");
    const listed = await api(user, "GET", "/v1/assets/folders");
    expect(listed.body.items.map((f: { name: string; depth: number }) => [f.name, f.depth])).to.deep.equal([["1", 1], ["2", 2], ["3", 3], ["4", 4], ["5", 5]]);
  });

  it("refuse a move that would push a subtree past level 5, and allow one that fits", async () => {
    const user = await newUser();
    const deep = await chain(user, ["a", "b", "c", "d"]);
    const subtree = await chain(user, ["x", "y"]);
    const tooDeep = await api(user, "PUT", `/v1/assets/folders/${subtree[0]}`, { parent_folder_id: deep[3] });
    expect(tooDeep.body.error.code).to.equal("FOLDER_DEPTH_EXCEEDED");
    const fits = await api(user, "PUT", `/v1/assets/folders/${subtree[0]}`, { parent_folder_id: deep[2] });
    expect(fits.body.parent_folder_id).to.equal(deep[2]);
    const back = await gql(user, `mutation($id: ID!) { updateFolder(id: $id, input: { parentFolderId: null }) { parentFolderId } }`, { id: subtree[0] });
    expect(back.body.data.updateFolder.parentFolderId).to.equal(null);
  });

  it("keep names unique within a parent whatever their case, the root included", async () => {
    const user = await newUser();
    const logos = await mkdir(user, "Logos");
    const again = await api(user, "POST", "/v1/assets/folders", { name: "logos" });
    expect([again.status, again.body.error.code]).to.deep.equal([409, "NAME_CONFLICT"]);
    const inside = await mkdir(user, "Logos", logos);
    const other = await mkdir(user, "Other");
    await mkdir(user, "Logos", other);
    const rename = await api(user, "PUT", `/v1/assets/folders/${other}`, { name: "LOGOS" });
    expect(rename.body.error.code).to.equal("NAME_CONFLICT");
    const moveIntoClash = await api(user, "PUT", `/v1/assets/folders/${inside}`, { parent_folder_id: other });
    expect(moveIntoClash.body.error.code).to.equal("NAME_CONFLICT");
    const otherUser = await newUser();
    await mkdir(otherUser, "Logos");
  });

  it("refuse moves into themselves or their own subfolders", async () => {
    const user = await newUser();
    const [a, , c] = await chain(user, ["a", "b", "c"]);
    for (const target of [a, c]) {
      const { status, body } = await api(user, "PUT", `/v1/assets/folders/${a}`, { parent_folder_id: target });
      expect(status).to.equal(400);
      expect(body.error.details.fields).to.have.property("parent_folder_id");
    }
  });

  it("never let two concurrent moves build a cycle", async () => {
    const user = await newUser();
    for (let round = 0; round < 5; round++) {
      const a = await mkdir(user, `a${round}`);
      const b = await mkdir(user, `b${round}`);
      const results = await Promise.all([
        api(user, "PUT", `/v1/assets/folders/${a}`, { parent_folder_id: b }),
        api(user, "PUT", `/v1/assets/folders/${b}`, { parent_folder_id: a }),
      ]);
      expect(results.map((r) => r.status).sort()).to.deep.equal([200, 400]);
      const [{ cycles }] = await db().query(
        `SELECT count(*)::int AS cycles FROM folders f JOIN folders p ON p.folder_id = f.parent_folder_id WHERE p.parent_folder_id = f.folder_id`,
      );
      expect(cycles).to.equal(0);
    }
  });

  it("need force to delete a folder holding assets anywhere below it, and then soft-delete them", async () => {
    const user = await newUser();
    const [top, sub] = await chain(user, ["Campaign", "Shots"]);
    const { body: asset } = await uploadRest(user, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"), { folder_id: sub, tags: "hero" });
    const refused = await api(user, "DELETE", `/v1/assets/folders/${top}`);
    expect([refused.status, refused.body.error.code]).to.deep.equal([409, "FOLDER_NOT_EMPTY"]);
    const forced = await api(user, "DELETE", `/v1/assets/folders/${top}?force=true`);
    expect(forced.body).to.deep.equal({ deleted_folders: 2, deleted_assets: 1 });
    const after = await api(user, "GET", `/v1/assets/${asset.asset_id}`);
    expect(after.body).to.include({ status: "deleted", folder: null });
    expect((await api(user, "GET", "/v1/assets/folders")).body.items).to.deep.equal([]);
    expect((await api(user, "GET", "/v1/assets/tags")).body.items[0]).to.include({ name: "hero", usage_count: 0 });
    const empty = await mkdir(user, "Empty");
    expect((await api(user, "DELETE", `/v1/assets/folders/${empty}`)).body).to.deep.equal({ deleted_folders: 1, deleted_assets: 0 });
  });

  it("refuse even a forced delete when an asset inside is referenced, changing nothing", async () => {
    const user = await newUser();
    const folder = await mkdir(user, "Used");
    const { body: asset } = await uploadRest(user, path.join(FIXTURES, "image/gif-static-200x133.gif"), { folder_id: folder });
    await addReference(user, asset.asset_id, "background");
    const refused = await api(user, "DELETE", `/v1/assets/folders/${folder}?force=true`);
    expect([refused.status, refused.body.error.code]).to.deep.equal([409, "ASSET_IN_USE"]);
    expect((await api(user, "GET", `/v1/assets/${asset.asset_id}`)).body.status).to.not.equal("deleted");
    expect((await api(user, "GET", "/v1/assets/folders")).body.items).to.have.length(1);
  });

  it("list contents: subfolders and a page of assets", async () => {
    const user = await newUser();
    const folder = await mkdir(user, "Parent");
    await mkdir(user, "Child B", folder);
    await mkdir(user, "child a", folder);
    await uploadRest(user, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"), { folder_id: folder });
    const { body } = await api(user, "GET", `/v1/assets/folders/${folder}/contents?limit=10`);
    expect(body.folder).to.include({ name: "Parent", asset_count: 1 });
    expect(body.subfolders.map((f: { name: string }) => f.name)).to.deep.equal(["child a", "Child B"]);
    expect(body.assets.total).to.equal(1);
    const viaGraphQL = await gql(user, `query($id: ID!) { folder(id: $id) { name children { name } assets(first: 5) { totalCount } } }`, { id: folder });
    expect(viaGraphQL.body.data.folder).to.deep.equal({ name: "Parent", children: [{ name: "child a" }, { name: "Child B" }], assets: { totalCount: 1 } });
  });

  it("are another user's business only", async () => {
    const owner = await newUser();
    const stranger = await newUser();
    const folder = await mkdir(owner, "Mine");
    for (const [method, url, body] of [
      ["PUT", `/v1/assets/folders/${folder}`, { name: "x" }],
      ["DELETE", `/v1/assets/folders/${folder}?force=true`, undefined],
      ["GET", `/v1/assets/folders/${folder}/contents`, undefined],
      ["POST", "/v1/assets/folders", { name: "inside", parent_folder_id: folder }],
    ] as const) {
      expect((await api(stranger, method, url, body)).body.error.code, `${method} ${url}`).to.equal("NOT_FOUND");
    }
  });

  it("keep asset_count exact through a random sequence of operations", async () => {
    const user = await newUser();
    const folders = [await mkdir(user, "f0"), await mkdir(user, "f1")];
    folders.push(await mkdir(user, "f2", folders[0]), await mkdir(user, "f3", folders[1]));
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pick = <T>(items: T[]) => items[random(items.length)];
    const files = ["image/png-rgb-8bit-200x133.png", "image/gif-static-200x133.gif", "image/jpg-grayscale-1-component.jpg", "logo/logo-sharp-viewbox-only.svg"];
    const assets: string[] = [];
    for (let step = 0; step < 40; step++) {
      const op = random(5);
      if (op === 0 || assets.length < 3) {
        const { body } = await uploadRest(user, path.join(FIXTURES, pick(files)), { folder_id: pick(folders), name: `a${step}`, on_duplicate: "keep" });
        assets.push(body.asset_id);
      } else if (op === 1) {
        await api(user, "PUT", `/v1/assets/${pick(assets)}`, { folder_id: random(4) === 0 ? null : pick(folders) });
      } else if (op === 2) {
        await api(user, "DELETE", `/v1/assets/${pick(assets)}`);
      } else if (op === 3) {
        await api(user, "PUT", `/v1/assets/folders/${pick(folders)}`, { parent_folder_id: random(2) === 0 ? null : pick(folders) });
      } else {
        await gql(user, `mutation($ids: [ID!]!) { tagAssets(assetIds: $ids, tags: ["x"]) { id } }`, { ids: [pick(assets)] });
      }
      await expectExactCounts(user.userId);
    }
    const doomed = pick(folders);
    await api(user, "DELETE", `/v1/assets/folders/${doomed}?force=true`);
    await expectExactCounts(user.userId);
  });
});
