import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Names sort as people read them: an ICU collation at primary strength ignores case and accents,
 * so "Ärger" sorts among the A's, not after "sunset" (byte order). The column keeps the database's
 * default collation (trigram search and ILIKE need a deterministic one); the sort names this
 * collation explicitly, and this index is built on the same expression.
 */
export class NameCollation1764500000000 implements MigrationInterface {
  name = "NameCollation1764500000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE COLLATION IF NOT EXISTS asset_name (provider = icu, locale = 'und-u-ks-level1', deterministic = false)`);
    await q.query(`CREATE INDEX assets_user_name_collated_idx ON assets (user_id, (name COLLATE asset_name), asset_id)`);
    await q.query(`DROP INDEX assets_user_name_sort_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX assets_user_name_sort_idx ON assets (user_id, name, asset_id)`);
    await q.query(`DROP INDEX assets_user_name_collated_idx`);
    await q.query(`DROP COLLATION asset_name`);
  }
}
