import { expect } from "chai";
import { api, gql, newUser, type TestUser } from "./helpers";
import { addReference, seedAssets } from "./factories";
import { testService } from "./setup";
import { statementsOf } from "./statements";

/** The SQL the suite's service runs while `work` runs. */
async function statementTexts(work: () => Promise<unknown>): Promise<string[]> {
  return (await statementsOf(testService().runtime.services.db, work)).map((s) => s.query);
}

async function countStatements(work: () => Promise<unknown>): Promise<number> {
  return (await statementTexts(work)).length;
}

const PAGE = `query($first: Int!) {
  assets(first: $first) {
    totalCount
    facets { assetType { assetType count } folder { folderId name count } }
    nodes { id name folder { id name } tags { id name } versionsCount referencesCount urls { thumbnail preview } derivatives { kind } }
  }
}`;

describe("batched lookups", function () {
  this.timeout(60_000);
  let user: TestUser;
  let referenced: string[] = [];

  before(async () => {
    // The API process's workers would add their own statements to the count.
    await testService().runtime.workers!.pause();
    user = await newUser();
    const folders: string[] = [];
    for (const name of ["one", "two", "three"]) folders.push((await api(user, "POST", "/v1/assets/folders", { name })).body.folder_id);
    const ids = await seedAssets(
      user.userId,
      Array.from({ length: 120 }, (_, i) => ({ name: `asset${i}`, folderId: i % 4 === 0 ? null : folders[i % 3], tags: i % 2 ? ["odd", `t${i % 5}`] : ["even"] })),
    );
    referenced = ids.slice(0, 30);
    for (const id of referenced) await addReference(user, id, "overlay");
  });

  after(async () => {
    await testService().runtime.workers!.resume();
  });

  it("a GraphQL page with folder, tags, counts and URLs costs the same few statements for 10 or 100 assets", async () => {
    let page100: any;
    const forTen = await countStatements(() => gql(user, PAGE, { first: 10 }));
    const forHundred = await countStatements(async () => {
      page100 = await gql(user, PAGE, { first: 100 });
    });
    expect(page100.body.data.assets.nodes).to.have.length(100);
    expect(page100.body.data.assets.nodes.filter((n: any) => n.referencesCount === 1)).to.have.length.greaterThan(0);
    expect(page100.body.data.assets.nodes.every((n: any) => n.versionsCount === 1 && n.tags.length > 0)).to.equal(true);
    expect(forHundred).to.equal(forTen);
    // The page with the folders, tags, version counts, reference counts and derivatives of every
    // asset on it, and beside it the facets with their folder names.
    expect(forHundred).to.equal(2);
  });

  it("the REST listing is batched the same way", async () => {
    const forTen = await countStatements(() => api(user, "GET", "/v1/assets?limit=10"));
    const forHundred = await countStatements(() => api(user, "GET", "/v1/assets?limit=100"));
    expect(forHundred).to.equal(forTen);
    expect(forHundred).to.equal(2);
  });

  it("counts the library only when a GraphQL query asks for totalCount or facets", async () => {
    const counting = (statements: string[]) => statements.filter((s) => /GROUPING SETS|asset_counts|asset_tag_counts/.test(s));
    const pageOnly = await statementTexts(() => gql(user, `{ assets(first: 100) { nodes { id name } pageInfo { endCursor } } }`));
    expect(counting(pageOnly)).to.deep.equal([]);
    const withTotal = await statementTexts(() => gql(user, `{ assets(first: 5) { totalCount facets { assetType { count } } } }`));
    expect(counting(withTotal)).to.have.length(1);
  });

  it("answers a browse's total and facets from the kept counts, a tag filter's too", async () => {
    for (const url of ["/v1/assets?limit=5", "/v1/assets?limit=5&tags=odd", "/v1/assets?limit=5&asset_type=image"]) {
      const statements = await statementTexts(() => api(user, "GET", url));
      expect(statements.filter((s) => /GROUPING SETS/.test(s)), url).to.have.length(1);
      expect(statements.filter((s) => /asset_counts|asset_tag_counts/.test(s)), url).to.have.length(1);
    }
    const odd = (await api(user, "GET", "/v1/assets?limit=5&tags=odd")).body;
    expect(odd.total).to.equal(60);
  });

  it("a page's versions and references cost one statement each, for 10 or 100 assets", async () => {
    const LISTS = `query($first: Int!) { assets(first: $first) { nodes { id versions { versionNumber } references { resourceType } } } }`;
    let page100: any;
    const forTen = await countStatements(() => gql(user, LISTS, { first: 10 }));
    const forHundred = await countStatements(async () => {
      page100 = await gql(user, LISTS, { first: 100 });
    });
    expect(page100.body.errors).to.equal(undefined);
    const nodes = page100.body.data.assets.nodes;
    expect(nodes).to.have.length(100);
    expect(nodes.every((n: any) => n.versions.length === 1 && n.versions[0].versionNumber === 1)).to.equal(true);
    expect(nodes.filter((n: any) => n.references.length === 1)).to.have.length(referenced.filter((id) => nodes.some((n: any) => n.id === id)).length);
    expect(forHundred).to.equal(forTen);
    // The page, then one statement for the versions and one for the references of every asset on it.
    expect(forHundred).to.equal(3);
  });

  it("a list of folders' subfolders costs one statement, for 10 or 100 folders", async () => {
    const tree = async (children: number) => {
      const parent = (await api(user, "POST", "/v1/assets/folders", { name: `parent of ${children}` })).body.folder_id;
      for (let i = 0; i < children; i++) {
        const child = (await api(user, "POST", "/v1/assets/folders", { name: `child ${i}`, parent_folder_id: parent })).body.folder_id;
        if (i % 10 === 0) await api(user, "POST", "/v1/assets/folders", { name: `grandchild of ${i}`, parent_folder_id: child });
      }
      return parent;
    };
    const [ten, hundred] = [await tree(10), await tree(100)];
    const CHILDREN = `query($parentId: ID!) { folders(parentId: $parentId) { id name children { id name } } }`;
    let listed: any;
    const forTen = await countStatements(() => gql(user, CHILDREN, { parentId: ten }));
    const forHundred = await countStatements(async () => {
      listed = await gql(user, CHILDREN, { parentId: hundred });
    });
    expect(listed.body.errors).to.equal(undefined);
    const folders = listed.body.data.folders;
    expect(folders).to.have.length(100);
    expect(folders.filter((f: any) => f.children.length === 1).map((f: any) => f.name).sort()).to.deep.equal(
      Array.from({ length: 10 }, (_, i) => `child ${i * 10}`).sort(),
    );
    expect(folders.find((f: any) => f.name === "child 20").children[0].name).to.equal("grandchild of 20");
    expect(forHundred).to.equal(forTen);
    // The parent's ownership check, its subfolders, then one statement for all their subfolders.
    expect(forHundred).to.equal(3);
  });
});
