import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * What each version's picture looks like, made by its derivative job: `visual` (ThumbHash,
 * dominant colour, palette, colour family) and `phash`, a 64-bit perceptual hash. The asset keeps
 * its current version's copy (as it does its checksum and metadata), so search filters on it.
 * - Browsing by colour family, newest first, reads one index in order.
 * - Near-duplicates: the hash is split into four 16-bit bands, each indexed. Two hashes within
 *   Hamming distance d agree within floor(d/4) bits on at least one band (pigeonhole), so a query
 *   looks up a few hundred band values instead of scanning every hash (similar.repository.ts).
 *   Each index carries the hash and the id, so the distance is checked in the index (index-only
 *   scans) and only the few near ones are read from the table; each band has its statistics,
 *   which the planner takes from no partial index (a band value is 1 in 65,536, not 1 in 200).
 */
export class VisualSummary1764900000000 implements MigrationInterface {
  name = "VisualSummary1764900000000";

  async up(q: QueryRunner): Promise<void> {
    for (const table of ["asset_versions", "assets"]) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN visual jsonb, ADD COLUMN phash bigint`);
    }
    await q.query(`CREATE INDEX assets_user_color_created_idx ON assets (user_id, (visual->>'color_family'), created_at DESC) WHERE visual IS NOT NULL`);
    for (let band = 0; band < 4; band++) {
      const expression = `((phash >> ${48 - 16 * band}) & 65535)`;
      await q.query(`CREATE INDEX assets_phash_band${band}_idx ON assets (user_id, ${expression}) INCLUDE (phash, asset_id) WHERE phash IS NOT NULL`);
      await q.query(`CREATE STATISTICS assets_phash_band${band}_stats ON ${expression} FROM assets`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (let band = 0; band < 4; band++) {
      await q.query(`DROP STATISTICS assets_phash_band${band}_stats`);
      await q.query(`DROP INDEX assets_phash_band${band}_idx`);
    }
    await q.query(`DROP INDEX assets_user_color_created_idx`);
    for (const table of ["asset_versions", "assets"]) await q.query(`ALTER TABLE ${table} DROP COLUMN visual, DROP COLUMN phash`);
  }
}
