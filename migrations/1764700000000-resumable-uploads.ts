import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Resumable (tus) uploads: who started each, what it will become (a new asset, or a new version
 * of `target_asset_id`), and how it ended. The bytes live in the tus store (local disk or the
 * bucket) until the upload completes or expires; this row is what every API node checks for
 * ownership, and what `GET /v1/uploads/{id}` answers from after the bytes are gone.
 */
export class ResumableUploads1764700000000 implements MigrationInterface {
  name = "ResumableUploads1764700000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE resumable_uploads (
        upload_id       uuid PRIMARY KEY,
        user_id         uuid NOT NULL,
        target_asset_id uuid,
        upload_length   bigint NOT NULL CHECK (upload_length >= 0),
        filename        text NOT NULL,
        fields          jsonb NOT NULL DEFAULT '{}',
        status          varchar(16) NOT NULL DEFAULT 'receiving'
                        CHECK (status IN ('receiving', 'processing', 'completed', 'failed')),
        asset_id        uuid,
        version_number  integer,
        linked          boolean NOT NULL DEFAULT false,
        error           jsonb,
        created_at      timestamptz NOT NULL DEFAULT now(),
        expires_at      timestamptz NOT NULL,
        finished_at     timestamptz
      )`);
    await q.query(`CREATE INDEX resumable_uploads_expiry ON resumable_uploads (expires_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE resumable_uploads`);
  }
}
