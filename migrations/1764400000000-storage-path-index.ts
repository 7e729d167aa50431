import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The storage reconcile asks, for batches of stored files, whether any row names them: these
 * indexes answer that without scanning every version and derivative.
 */
export class StoragePathIndex1764400000000 implements MigrationInterface {
  name = "StoragePathIndex1764400000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX asset_versions_storage_path_idx ON asset_versions (storage_path)`);
    await q.query(`CREATE INDEX asset_derivatives_storage_path_idx ON asset_derivatives (storage_path)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX asset_derivatives_storage_path_idx`);
    await q.query(`DROP INDEX asset_versions_storage_path_idx`);
  }
}
