import type { Client } from "pg";
import type { Runtime } from "../src/bootstrap";
import { bigintToHash, hashToBigint } from "../src/assets/media/perceptual-hash";
import { DEFAULT_MAX_DISTANCE, MAX_DISTANCE } from "../src/assets/similar.service";
import { statementsOf, type Statement } from "../test/statements";
import { timed } from "./search";

/**
 * Near-duplicate queries for the user with 200,000 assets among 1,000,000, every one with a random
 * perceptual hash (the band values spread evenly, so each probe finds a few rows), after planting
 * ten near copies (1 to 10 bits off) of each of 20 originals. For each original in turn: the
 * service's `similar` at the default and the widest distance, the same SQL replayed raw, and the
 * design without band indexes (the distance computed on every one of the user's hashes).
 */
export async function benchSimilar(runtime: Runtime, raw: Client, userId: string, runs = 100) {
  const { rows } = await raw.query(`SELECT asset_id, phash FROM assets WHERE user_id = $1 ORDER BY random() LIMIT 220`, [userId]);
  const originals = rows.slice(0, 20) as Array<{ asset_id: string; phash: string }>;
  for (const [i, original] of originals.entries()) {
    for (let copy = 0; copy < 10; copy++) {
      let hash = BigInt(`0x${bigintToHash(original.phash)}`);
      for (let bit = 0; bit <= copy; bit++) hash ^= 1n << BigInt((bit * 7 + copy * 3 + i) % 64);
      await raw.query(`UPDATE assets SET phash = $1 WHERE asset_id = $2`, [hashToBigint(hash.toString(16).padStart(16, "0")), rows[20 + i * 10 + copy].asset_id]);
    }
  }
  await raw.query(`ANALYZE assets`);
  const similar = runtime.services.similar;
  let next = 0;
  const original = () => originals[next++ % originals.length];

  const found = await similar.similar(userId, originals[0].asset_id);
  // The raw side replays each original's own statements in the same rotation (one repeated
  // query would find its index pages cached where the service's would not).
  const statementsOfEach: Statement[][] = [];
  for (const o of originals) statementsOfEach.push(await statementsOf(runtime.services.db, () => similar.similar(userId, o.asset_id)));
  const nearQuery = statementsOfEach[0].find((s) => s.query.includes("unnest"))!;
  const service = await timed(runs, () => similar.similar(userId, original().asset_id));
  const widest = await timed(runs, () => similar.similar(userId, original().asset_id, { maxDistance: MAX_DISTANCE }));
  const sameSql = await timed(runs, async () => {
    for (const s of statementsOfEach[next++ % originals.length]) await raw.query(s.query, s.parameters);
  });
  const everyHash = (o: { asset_id: string; phash: string }) =>
    raw.query(
      `SELECT asset_id FROM assets WHERE user_id = $1 AND phash IS NOT NULL AND status <> 'deleted' AND asset_id <> $2
          AND bit_count((phash # $3::bigint)::bit(64)) <= $4 ORDER BY bit_count((phash # $3::bigint)::bit(64)), created_at DESC LIMIT 20`,
      [userId, o.asset_id, o.phash, DEFAULT_MAX_DISTANCE],
    );
  const scan = await timed(Math.min(runs, 20), () => everyHash(original()));
  const scanned = (await everyHash(originals[0])).rows.map((r) => r.asset_id);
  const plan = (await raw.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${nearQuery.query}`, nearQuery.parameters)).rows.map((r) => r["QUERY PLAN"]).join("\n");
  return {
    hashes: 1_000_000,
    user_hashes: 200_000,
    near_copies_found: found.length,
    same_as_reading_every_hash: JSON.stringify(found.map((f) => f.asset.id)) === JSON.stringify(scanned),
    service_ms: service,
    service_widest_distance_ms: widest,
    same_sql_raw_ms: sameSql,
    every_hash_read_ms: scan,
    p95_ratio_to_same_sql: Math.round((service.p95 / sameSql.p95) * 100) / 100,
    p95_ratio_to_every_hash_read: Math.round((service.p95 / scan.p95) * 1000) / 1000,
    goal: { service_p95_ms: 20 },
    ...(process.env.BENCH_EXPLAIN ? { plan } : {}),
  };
}
