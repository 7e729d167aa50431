import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Client } from "pg";
import { parseSearch } from "../src/assets/search-input";
import { startRuntime } from "../src/bootstrap";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/logger";

const HEAVY_USER = "00000000-0000-4000-8000-00000000beef";
const WORDS = ["sunset", "logo", "intro", "outro", "brand", "music", "beach", "city", "night", "forest", "promo", "teaser", "studio", "vintage", "neon", "ocean", "mountain", "retro", "summer", "winter", "spring", "autumn", "gradient", "pattern", "texture", "portrait", "landscape", "drone", "timelapse", "voice"];

/**
 * 1,000,000 assets over 1,000 users (one with 200,000); that user's name search + type filter +
 * name sort + facets, a keyset page of 100: the service against the same two statements as raw SQL
 * on the same database, p50/p95 over many runs. Uses its own embedded PostgreSQL.
 */
export async function benchSearch(runs = 60) {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "search-bench-"));
  await fs.chmod(dataDir, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "warn", PORT: "0" };
  delete env.DATABASE_URL;
  const config = loadConfig(env);
  const runtime = await startRuntime(config, createLogger(config), { workers: 0 });
  const raw = new Client({ connectionString: runtime.database.url });
  await raw.connect();
  try {
    const seedStart = performance.now();
    await seed(raw);
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const input = { query: "sunset", asset_type: ["image"], sort: "name", order: "asc", limit: 100 };
    const first = await runtime.services.search.search(HEAVY_USER, parseSearch(input));
    // A later keyset page: the cursor after the fifth page.
    let cursor = first.nextCursor;
    for (let i = 0; i < 4 && cursor; i++) cursor = (await runtime.services.search.search(HEAVY_USER, parseSearch({ ...input, cursor }))).nextCursor;
    const lastOfPage = (await runtime.services.search.search(HEAVY_USER, parseSearch({ ...input, cursor: cursor! }))).items[0];

    const pattern = "%sunset%";
    const where = `a.user_id = $1 AND a.status <> 'deleted' AND a.name ILIKE $2 AND a.asset_type = ANY($3)`;
    const rawFirst = () =>
      Promise.all([
        raw.query(`SELECT * FROM assets a WHERE ${where} ORDER BY a.name ASC, a.asset_id ASC LIMIT 101`, [HEAVY_USER, pattern, ["image"]]),
        raw.query(`SELECT a.asset_type, a.folder_id, GROUPING(a.asset_type), count(*) FROM assets a WHERE ${where} GROUP BY GROUPING SETS ((a.asset_type), (a.folder_id))`, [HEAVY_USER, pattern, ["image"]]),
      ]);
    const rawKeyset = () =>
      raw.query(`SELECT * FROM assets a WHERE ${where} AND (a.name, a.asset_id) > ($4, $5) ORDER BY a.name ASC, a.asset_id ASC LIMIT 101`, [HEAVY_USER, pattern, ["image"], lastOfPage.name, lastOfPage.id]);

    const service = await timed(runs, () => runtime.services.search.search(HEAVY_USER, parseSearch(input)));
    const rawSql = await timed(runs, rawFirst);
    const serviceKeyset = await timed(runs, () => runtime.services.search.search(HEAVY_USER, parseSearch({ ...input, cursor: cursor! })));
    const rawKeysetTimes = await timed(runs, rawKeyset);
    return {
      rows: 1_000_000,
      users: 1000,
      heavy_user_assets: 200_000,
      seed_seconds: round(seedSeconds),
      query: input,
      matches: first.total,
      runs,
      first_page_with_facets_ms: { service: service, raw_sql: rawSql, p95_ratio: round(service.p95 / rawSql.p95) },
      keyset_page_6_ms: { service_with_facets: serviceKeyset, raw_sql_page_only: rawKeysetTimes },
      goal: { p95_ms: 50, p95_ratio: 1.5 },
    };
  } finally {
    await raw.end();
    await runtime.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

async function seed(db: Client): Promise<void> {
  const words = `(ARRAY[${WORDS.map((w) => `'${w}'`).join(",")}])`;
  const name = `${words}[1 + floor(random() * ${WORDS.length})::int] || ' ' || ${words}[1 + floor(random() * ${WORDS.length})::int] || ' ' || (g % 997)`;
  const type = `(ARRAY['image','audio','video','font','logo']::asset_type[])[1 + floor(random() * 5)::int]`;
  // The trigram index is built after the load, as one would for any bulk import.
  await db.query(`DROP INDEX assets_user_type_name_trgm_idx`);
  await db.query(`INSERT INTO folders (folder_id, user_id, name) SELECT gen_random_uuid(), $1, 'folder ' || g FROM generate_series(1, 50) g`, [HEAVY_USER]);
  await db.query(
    `INSERT INTO assets (user_id, folder_id, name, asset_type, mime_type, file_extension, file_size, storage_path, original_filename, checksum, status, created_at, updated_at)
     SELECT $1, CASE WHEN g % 5 = 0 THEN NULL ELSE f.ids[1 + (g % 50)] END, ${name}, ${type}, 'application/octet-stream', 'bin',
            1000 + floor(random() * 10000000)::bigint, 'seed', 'seed.bin', repeat('0', 64), 'ready',
            now() - (g || ' seconds')::interval, now()
       FROM generate_series(1, 200000) g, (SELECT array_agg(folder_id) AS ids FROM folders WHERE user_id = $1) f`,
    [HEAVY_USER],
  );
  await db.query(
    `INSERT INTO assets (user_id, name, asset_type, mime_type, file_extension, file_size, storage_path, original_filename, checksum, status, created_at, updated_at)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g % 999), 12, '0'))::uuid, ${name}, ${type}, 'application/octet-stream', 'bin',
            1000 + floor(random() * 10000000)::bigint, 'seed', 'seed.bin', repeat('0', 64), 'ready', now() - (g || ' seconds')::interval, now()
       FROM generate_series(1, 800000) g`,
  );
  await db.query(`CREATE INDEX assets_user_type_name_trgm_idx ON assets USING gin (user_id, asset_type, name gin_trgm_ops)`);
  await db.query(`VACUUM ANALYZE assets`);
}

async function timed(runs: number, run: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: round(times[Math.floor(runs * 0.5)]), p95: round(times[Math.min(runs - 1, Math.floor(runs * 0.95))]) };
}

const round = (n: number) => Math.round(n * 100) / 100;
