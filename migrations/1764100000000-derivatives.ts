import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Derivatives (thumbnails, previews, waveforms, clips) of each asset version, and a count of
 * processing attempts so a file that keeps crashing workers ends `failed` instead of looping.
 */
export class Derivatives1764100000000 implements MigrationInterface {
  name = "Derivatives1764100000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE asset_derivatives (
        derivative_id  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset_id       uuid NOT NULL REFERENCES assets (asset_id) ON DELETE CASCADE,
        version_number integer NOT NULL,
        kind           varchar(20) NOT NULL CHECK (kind IN ('thumbnail', 'preview', 'waveform', 'clip')),
        storage_path   text NOT NULL,
        mime_type      varchar(100) NOT NULL,
        file_size      bigint NOT NULL CHECK (file_size > 0),
        width          integer,
        height         integer,
        created_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT asset_derivatives_version_kind_key UNIQUE (asset_id, version_number, kind)
      )`);
    await q.query(`ALTER TABLE assets ADD COLUMN processing_attempts integer NOT NULL DEFAULT 0`);
    // Finding work that lost its job: a partial index keeps it cheap at any library size.
    await q.query(`CREATE INDEX assets_processing_idx ON assets (updated_at) WHERE status = 'processing'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX assets_processing_idx`);
    await q.query(`ALTER TABLE assets DROP COLUMN processing_attempts`);
    await q.query(`DROP TABLE asset_derivatives`);
  }
}
