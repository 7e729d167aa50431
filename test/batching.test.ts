import { expect } from "chai";
import { api, gql, newUser, type TestUser } from "./helpers";
import { seedAssets } from "./seed";
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
    const db = testService().runtime.services.db;
    for (const id of ids.slice(0, 30)) {
      await db.query(`INSERT INTO asset_references (asset_id, user_id, resource_type, resource_id, usage_type) VALUES ($1, $2, 'project', gen_random_uuid(), 'overlay')`, [id, user.userId]);
    }
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
    // The page, the facets with their folder names, then one batch for the folders, tags, version
    // counts, reference counts and derivatives of every asset on the page.
    expect(forHundred).to.equal(3);
  });

  it("the REST listing is batched the same way", async () => {
    const forTen = await countStatements(() => api(user, "GET", "/v1/assets?limit=10"));
    const forHundred = await countStatements(() => api(user, "GET", "/v1/assets?limit=100"));
    expect(forHundred).to.equal(forTen);
    expect(forHundred).to.equal(3);
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
});
