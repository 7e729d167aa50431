import { expect } from "chai";
import type { EntityManager } from "typeorm";
import { parseSearch } from "../src/assets/search-input";
import { newUser, type TestUser } from "./helpers";
import { makeFolder, seedAssets } from "./factories";
import { testService } from "./setup";
import { statementsOf, type Statement } from "./statements";

/**
 * The service's sessions never start parallel workers: for its LIMITed index walks, starting them
 * cost more than the whole statement (a tag-filtered page over a 200,000-asset library: 65 ms with
 * two workers, 3.7 ms without). The planner is made to like parallel plans as much as it can, and
 * the same statement is planned once with the service's session settings and once with the
 * server's default, which must then choose a parallel plan (or this test could not fail).
 */
describe("search statements' plans", function () {
  this.timeout(60_000);
  let user: TestUser;

  before(async () => {
    user = await newUser();
    await seedAssets(user.userId, Array.from({ length: 40 }, (_, i) => ({ name: `plan ${i}`, tags: [i % 2 ? "odd" : "even"] })));
  });

  async function planOf(parallelWorkers: "session" | "server default"): Promise<string> {
    const { db, search } = testService().runtime.services;
    const statements = await statementsOf(db, () => search.search(user.userId, parseSearch({ tags: "odd", limit: 10 })));
    const page = statements.find((s) => /ORDER BY/.test(s.query) && /LIMIT/.test(s.query))!;
    expect(page, "the page statement").to.not.equal(undefined);
    return db.transaction(async (m) => {
      for (const setting of ["parallel_setup_cost", "parallel_tuple_cost", "min_parallel_table_scan_size", "min_parallel_index_scan_size"]) {
        await m.query(`SELECT set_config($1, '0', true)`, [setting]);
      }
      await m.query(`SELECT set_config('enable_indexscan', 'off', true), set_config('enable_bitmapscan', 'off', true)`);
      if (parallelWorkers === "server default") await m.query(`SELECT set_config('max_parallel_workers_per_gather', '2', true)`);
      const rows = (await m.query(`EXPLAIN (COSTS OFF) ${page.query}`, page.parameters)) as Array<{ "QUERY PLAN": string }>;
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
  }

  it("plans the page without parallel workers, where the server's default would start them", async () => {
    const { db } = testService().runtime.services;
    expect((await db.query(`SHOW max_parallel_workers_per_gather`))[0].max_parallel_workers_per_gather).to.equal("0");
    expect(await planOf("server default")).to.match(/Gather/);
    expect(await planOf("session")).to.not.match(/Gather/);
  });

  it("looks a page's extras up only for the rows its LIMIT keeps, though the matches are sorted first", async () => {
    const { db } = testService().runtime.services;
    const page = await extrasPageStatement(user.userId, { sort: "file_size", limit: 10 });
    const plan = await db.transaction(async (m) => {
      // Every match is read and sorted (no index walk), as a large library's filtered page may be;
      // and each lookup looks cheap to the planner (as one over an empty table does), which it
      // may then evaluate for every row before the sort were it in the page's own select list.
      await m.query(`SELECT set_config('enable_indexscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('cpu_operator_cost', '0', true)`);
      for (const cost of ["seq_page_cost", "random_page_cost", "cpu_tuple_cost", "cpu_index_tuple_cost"]) await m.query(`SELECT set_config($1, '0', true)`, [cost]);
      return analyzedPlan(m, page);
    });
    expect(plan).to.match(/Sort/);
    // How often each lookup ran: the loops of the node under each SubPlan line.
    const lookups = [...plan.matchAll(/SubPlan \d+\n[^\n]*loops=(\d+)/g)].map((m) => Number(m[1]));
    expect(lookups, plan).to.have.length(5);
    expect(lookups, plan).to.deep.equal([11, 11, 11, 11, 11]);
  });

  it("walks a folder's index newest first and stops at the page's end, instead of sorting the whole folder", async () => {
    const { db } = testService().runtime.services;
    const owner = await newUser();
    const folder = await makeFolder(owner, "Opened");
    const other = await makeFolder(owner, "Beside");
    const page = await extrasPageStatement(owner.userId, { folderId: folder, limit: 100 });
    const plan = await db.transaction(async (m) => {
      // 4,000 of the 40,000 in the folder, 16,000 in another.
      await seedLibrary(m, owner.userId, "CASE WHEN g % 10 = 0 THEN $2::uuid WHEN g % 10 < 5 THEN $3::uuid END", [folder, other]);
      await m.query("ANALYZE assets");
      return analyzedPlan(m, page);
    });
    expect(plan, plan).to.include("Index Scan Backward using assets_user_folder_created_idx on assets a");
    expect(plan, plan).to.not.match(/Sort/);
    // The walk stops at the page's 101st row.
    expect(plan, plan).to.match(/Index Scan Backward using assets_user_folder_created_idx on assets a \(actual rows=101(\.00)? loops=1\)/);
  });

  it("walks a tag's links newest first and stops at the page's end, instead of probing the whole library for the tag", async () => {
    const { db } = testService().runtime.services;
    const owner = await newUser();
    const [tagged] = await seedAssets(owner.userId, [{ name: "tagged first", tags: ["walked"] }]);
    const page = await extrasPageStatement(owner.userId, { tags: "walked", limit: 100 });
    const { plan, drift } = await db.transaction(async (m) => {
      // One in fifteen of the 40,000 carrying the tag.
      await seedLibrary(m, owner.userId);
      await m.query(
        `INSERT INTO asset_tags (asset_id, tag_id)
         SELECT a.asset_id, t.tag_id FROM assets a, tags t
          WHERE a.user_id = $1 AND a.asset_id <> $2 AND t.user_id = $1 AND ('x' || substr(md5(a.asset_id::text), 1, 4))::bit(16)::int % 15 = 0`,
        [owner.userId, tagged],
      );
      await m.query("ANALYZE assets");
      await m.query("ANALYZE asset_tags");
      // Every link carries its asset's upload time, however it was made (the trigger).
      const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM asset_tags at JOIN assets a USING (asset_id) WHERE a.user_id = $1 AND at.asset_created_at IS DISTINCT FROM a.created_at`, [owner.userId]);
      return { plan: await analyzedPlan(m, page), drift: n as number };
    });
    expect(drift).to.equal(0);
    // The page's LIMIT takes the walk's first 101 links as they come: no sort below it (above it,
    // the page's 101 rows are put in order of their own created_at, which is the same).
    expect(plan, plan).to.match(/Limit \(actual rows=101[^\n]*\n\s*->  Nested Loop[^\n]*\n\s*->  Index (Only )?Scan Backward using asset_tags_tag_created_idx on asset_tags st \(actual rows=101(\.00)? loops=1\)/);
  });
});

/** The page statement, with its extras, of a search as REST runs it. */
async function extrasPageStatement(userId: string, request: Parameters<typeof parseSearch>[0]): Promise<Statement> {
  const { db, search } = testService().runtime.services;
  const statements = await statementsOf(db, () => search.search(userId, parseSearch(request), { extras: true }));
  const page = statements.find((s) => s.query.includes("json_agg"))!;
  expect(page, "the page statement with its extras").to.not.equal(undefined);
  return page;
}

/** The statement's plan as run, with row counts and loops (no timings, so it reads the same each time). */
async function analyzedPlan(m: EntityManager, statement: Statement): Promise<string> {
  const rows = (await m.query(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${statement.query}`, statement.parameters)) as Array<{ "QUERY PLAN": string }>;
  return rows.map((r) => r["QUERY PLAN"]).join("\n");
}

/**
 * 40,000 assets of the user, inside the transaction of `m` only (rows and statistics roll back):
 * on a handful of rows the planner would rightly read them all. `folder` is each one's folder as
 * SQL over the row number `g` (its parameters from $2).
 */
async function seedLibrary(m: EntityManager, userId: string, folder = "NULL", parameters: unknown[] = []): Promise<void> {
  await m.query("SET LOCAL statement_timeout = 0");
  await m.query(
    `INSERT INTO assets (user_id, folder_id, name, asset_type, mime_type, file_extension, file_size, storage_path, original_filename, checksum, status, created_at, updated_at)
     SELECT $1, ${folder}, 'seeded ' || g, 'image', 'image/png', 'png', 1, 'seed', 'seed.png', repeat('0', 64), 'ready', now() - g * interval '1 second', now()
       FROM generate_series(1, 40000) g`,
    [userId, ...parameters],
  );
}
