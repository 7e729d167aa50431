import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * On-the-fly transforms (`/render`).
 * - `assets.focal_point` ({x, y}, each 0..1 from the left and top) guides `fit=cover` crops.
 * - `asset_renders` is the render cache: one row per stored output, keyed by the asset and the
 *   hash of its source checksum and normalised parameters. Rows name their files, so the purge
 *   removes them with the asset's other files and the storage reconciler knows them (a file no
 *   row names is an orphan). A row is written only after its file is durable.
 */
export class Renders1765000000000 implements MigrationInterface {
  name = "Renders1765000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assets ADD COLUMN focal_point jsonb`);
    await q.query(`
      CREATE TABLE asset_renders (
        asset_id       uuid NOT NULL REFERENCES assets (asset_id) ON DELETE CASCADE,
        render_key     char(24) NOT NULL,
        version_number integer NOT NULL,
        storage_path   text NOT NULL UNIQUE,
        mime_type      varchar(100) NOT NULL,
        file_size      bigint NOT NULL,
        width          integer NOT NULL,
        height         integer NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (asset_id, render_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE asset_renders`);
    await q.query(`ALTER TABLE assets DROP COLUMN focal_point`);
  }
}
