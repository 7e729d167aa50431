import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Search at a heavy user's scale: substring name search through a trigram GIN index that also
 * carries the owner (btree_gin), and one keyset index per sort order.
 */
export class Search1764200000000 implements MigrationInterface {
  name = "Search1764200000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gin`);
    await q.query(`CREATE INDEX assets_user_name_trgm_idx ON assets USING gin (user_id, name gin_trgm_ops)`);
    await q.query(`CREATE INDEX assets_user_name_sort_idx ON assets (user_id, name, asset_id)`);
    await q.query(`CREATE INDEX assets_user_size_sort_idx ON assets (user_id, file_size, asset_id)`);
    await q.query(`CREATE INDEX assets_user_type_sort_idx ON assets (user_id, asset_type, asset_id)`);
    await q.query(`CREATE INDEX assets_user_created_sort_idx ON assets (user_id, created_at, asset_id)`);
    await q.query(`DROP INDEX assets_user_created_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX assets_user_created_idx ON assets (user_id, created_at DESC, asset_id DESC)`);
    for (const index of ["assets_user_created_sort_idx", "assets_user_type_sort_idx", "assets_user_size_sort_idx", "assets_user_name_sort_idx", "assets_user_name_trgm_idx"]) {
      await q.query(`DROP INDEX ${index}`);
    }
  }
}
