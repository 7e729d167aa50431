import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Client } from "pg";
import { parseSearch, type SearchRequest } from "../src/assets/search-input";
import { startRuntime, type Runtime } from "../src/bootstrap";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/logger";
import { SESSION_OPTIONS } from "../src/db/data-source";
import { statementsOf, type Statement } from "../test/statements";
import { browseLoad } from "./browse-load";
import { benchSimilar } from "./similar";

export const HEAVY_USER = "00000000-0000-4000-8000-00000000beef";
const WORDS = ["sunset", "logo", "intro", "outro", "brand", "music", "beach", "city", "night", "forest", "promo", "teaser", "studio", "vintage", "neon", "ocean", "mountain", "retro", "summer", "winter", "spring", "autumn", "gradient", "pattern", "texture", "portrait", "landscape", "drone", "timelapse", "voice"];
const TAGS = 20;

/**
 * 1,000,000 assets over 1,000 users; one has 200,000, in 50 folders, each asset with one or two of
 * 20 tags. For that user, each with the total and facets and its assets' extras (folder, tags,
 * derivatives, counts: what a REST listing returns), a page of 100: newest-first browse, a
 * tag filter, a folder filter, the sixth page of the browse, and a name search sorted by name.
 * Each runs through the service and, as its baseline, as the very statements the service ran,
 * replayed on raw connections with the same parallelism (page and counts side by side on two).
 * Beside them, what counting every matching row (the design before kept counts) costs for the
 * browse. Then the HTTP load at 10 concurrent clients (see browse-load.ts). Own embedded PostgreSQL.
 */
export async function benchSearch(runs = 60) {
  return withSeededLibrary(async ({ runtime, raw, seedSeconds }) => {
    const search = runtime.services.search;
    const [{ folder_id: folderId }] = (await raw[0].query(`SELECT folder_id FROM assets WHERE user_id = $1 AND folder_id IS NOT NULL LIMIT 1`, [HEAVY_USER])).rows;

    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) cursor = (await search.search(HEAVY_USER, parseSearch({ limit: 100, cursor }))).nextCursor;
    const scenarios: Record<string, SearchRequest> = {
      browse_newest_first: { limit: 100 },
      tag_filter: { tags: "tag3", limit: 100 },
      folder_filter: { folderId, limit: 100 },
      browse_page_6: { limit: 100, cursor },
      name_search_sorted_by_name: { query: "sunset", assetTypes: ["image"], sort: "name", order: "asc", limit: 100 },
    };

    const results: Record<string, unknown> = {};
    const plans: Record<string, string[]> = {};
    for (const [name, rawInput] of Object.entries(scenarios)) {
      const input = parseSearch(rawInput);
      // With the assets' extras, as a REST listing reads them (one statement with the page).
      const first = await search.search(HEAVY_USER, input, { extras: true });
      const statements = await statementsOf(runtime.services.db, () => search.search(HEAVY_USER, input, { extras: true }));
      const [service, replay] = await timedInTurn(runs, () => search.search(HEAVY_USER, input, { extras: true }), () => replayed(raw, statements));
      results[name] = { matches: first.total, service_ms: service, same_sql_raw_ms: replay, p95_ratio: round(service.p95 / replay.p95) };
      // BENCH_EXPLAIN=1 adds each statement's plan (docs/organise-and-search.md shows them).
      if (process.env.BENCH_EXPLAIN) plans[name] = await explain(raw[0], statements.slice(-2));
    }
    const countingAllRows = await timed(20, () =>
      raw[0].query(
        `SELECT a.asset_type, a.folder_id, GROUPING(a.asset_type), count(*) FROM assets a
          WHERE a.user_id = $1 AND a.status <> 'deleted' GROUP BY GROUPING SETS ((a.asset_type), (a.folder_id))`,
        [HEAVY_USER],
      ),
    );

    return {
      rows: 1_000_000,
      users: 1000,
      heavy_user_assets: 200_000,
      seed_seconds: round(seedSeconds),
      runs,
      one_client: results,
      browse_facets_by_counting_every_row_ms: countingAllRows,
      goal: { one_client_p95_ms: 25 },
      similar_assets: await benchSimilar(runtime, raw[0], HEAVY_USER),
      ten_clients: await browseLoad(runtime.database.url, HEAVY_USER, runtime.services.config.dataDir),
      ...(process.env.BENCH_EXPLAIN ? { plans } : {}),
    };
  });
}

/**
 * 1,000,000 seeded assets on the service's own embedded PostgreSQL (no workers), with two raw
 * connections set up as the service's sessions are, for `work` to measure.
 */
export async function withSeededLibrary<T>(work: (library: { runtime: Runtime; raw: Client[]; seedSeconds: number }) => Promise<T>): Promise<T> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "search-bench-"));
  await fs.chmod(dataDir, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "warn", PORT: "0" };
  delete env.DATABASE_URL;
  const config = loadConfig(env);
  const runtime = await startRuntime(config, createLogger(config), { workers: 0 });
  // The baseline's sessions are set up as the service's are (no parallel query; data-source.ts).
  const raw = [0, 1].map(() => new Client({ connectionString: runtime.database.url, options: SESSION_OPTIONS }));
  await Promise.all(raw.map((c) => c.connect()));
  try {
    const seedStart = performance.now();
    await seed(raw[0]);
    return await work({ runtime, raw, seedSeconds: (performance.now() - seedStart) / 1000 });
  } finally {
    await Promise.all(raw.map((c) => c.end()));
    await runtime.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

/** The service's statements on raw connections: the scope look-ups first, then page and counts side by side. */
async function replayed(raw: Client[], statements: Statement[]): Promise<void> {
  const sideBySide = statements.slice(-2);
  for (const s of statements.slice(0, -2)) await raw[0].query(s.query, s.parameters);
  await Promise.all(sideBySide.map((s, i) => raw[i].query(s.query, s.parameters)));
}

async function explain(db: Client, statements: Statement[]): Promise<string[]> {
  const plans: string[] = [];
  for (const s of statements) {
    const { rows } = await db.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${s.query}`, s.parameters);
    plans.push(rows.map((r: Record<string, string>) => r["QUERY PLAN"]).join("\n"));
  }
  return plans;
}

export async function seed(db: Client): Promise<void> {
  const words = `(ARRAY[${WORDS.map((w) => `'${w}'`).join(",")}])`;
  const name = `${words}[1 + floor(random() * ${WORDS.length})::int] || ' ' || ${words}[1 + floor(random() * ${WORDS.length})::int] || ' ' || (g % 997)`;
  const type = `(ARRAY['image','audio','video','font','logo']::asset_type[])[1 + floor(random() * 5)::int]`;
  // Every asset a random 64-bit perceptual hash: the hard case for the band indexes, whose
  // values then spread evenly (bench/similar.ts plants near-duplicates among them).
  const phash = `(((floor(random() * 4294967296)::bigint - 2147483648) << 32) | floor(random() * 4294967296)::bigint)`;
  // The trigram index is built after the load, as one would for any bulk import.
  await db.query(`DROP INDEX assets_user_type_name_trgm_idx`);
  await db.query(`INSERT INTO folders (folder_id, user_id, name) SELECT gen_random_uuid(), $1, 'folder ' || g FROM generate_series(1, 50) g`, [HEAVY_USER]);
  await db.query(
    `INSERT INTO assets (user_id, folder_id, name, asset_type, mime_type, file_extension, file_size, storage_path, original_filename, checksum, status, created_at, updated_at, phash)
     SELECT $1, CASE WHEN g % 5 = 0 THEN NULL ELSE f.ids[1 + (g % 50)] END, ${name}, ${type}, 'application/octet-stream', 'bin',
            1000 + floor(random() * 10000000)::bigint, 'seed', 'seed.bin', repeat('0', 64), 'ready',
            now() - (g || ' seconds')::interval, now(), ${phash}
       FROM generate_series(1, 200000) g, (SELECT array_agg(folder_id) AS ids FROM folders WHERE user_id = $1) f`,
    [HEAVY_USER],
  );
  await db.query(`INSERT INTO tags (user_id, name) SELECT $1, 'tag' || g FROM generate_series(0, ${TAGS - 1}) g`, [HEAVY_USER]);
  // Every asset carries one tag, and every third a second one: each tag is on about 13,000 assets.
  await db.query(
    `INSERT INTO asset_tags (asset_id, tag_id)
     SELECT a.asset_id, t.tag_id FROM (SELECT asset_id, row_number() OVER () AS g FROM assets WHERE user_id = $1) a
       JOIN tags t ON t.user_id = $1 AND (t.name = 'tag' || (a.g % ${TAGS}) OR (a.g % 3 = 0 AND t.name = 'tag' || ((a.g / 3) % ${TAGS})))
     ON CONFLICT DO NOTHING`,
    [HEAVY_USER],
  );
  await db.query(
    `INSERT INTO assets (user_id, name, asset_type, mime_type, file_extension, file_size, storage_path, original_filename, checksum, status, created_at, updated_at, phash)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g % 999), 12, '0'))::uuid, ${name}, ${type}, 'application/octet-stream', 'bin',
            1000 + floor(random() * 10000000)::bigint, 'seed', 'seed.bin', repeat('0', 64), 'ready', now() - (g || ' seconds')::interval, now(), ${phash}
       FROM generate_series(1, 800000) g`,
  );
  await db.query(`CREATE INDEX assets_user_type_name_trgm_idx ON assets USING gin (user_id, asset_type, name gin_trgm_ops)`);
  // Every table the statements touch (tags and the kept counts too): without statistics the
  // planner takes a 20-tag user for a 1-tag one and probes asset_tags once per tag per asset.
  await db.query(`VACUUM ANALYZE`);
}

export async function timed(runs: number, run: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return percentiles(times);
}

/**
 * Two runs timed in turn, one of each per round: a pause of the machine (a checkpoint after the
 * seed, another tenant) then lands on both sides alike rather than on whichever ran at the time.
 */
async function timedInTurn(runs: number, first: () => Promise<unknown>, second: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) {
    await first();
    await second();
  }
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < runs; i++) {
    for (const [side, run] of [first, second].entries()) {
      const start = performance.now();
      await run();
      times[side].push(performance.now() - start);
    }
  }
  return times.map(percentiles);
}

function percentiles(times: number[]) {
  times.sort((a, b) => a - b);
  return { p50: round(times[Math.floor(times.length * 0.5)]), p95: round(times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]) };
}

const round = (n: number) => Math.round(n * 100) / 100;
