import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The spec's six tables with its indexes, foreign keys and enums.
 * user_id / created_by name users of the platform's auth system, which lives outside this
 * database, so they are indexed UUIDs without a foreign key.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = "InitialSchema1764000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pgcrypto`);
    await q.query(`CREATE TYPE asset_type AS ENUM ('image', 'audio', 'video', 'font', 'logo')`);
    await q.query(`CREATE TYPE asset_status AS ENUM ('processing', 'ready', 'failed', 'deleted')`);

    await q.query(`
      CREATE TABLE folders (
        folder_id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id          uuid NOT NULL,
        parent_folder_id uuid REFERENCES folders (folder_id) ON DELETE RESTRICT,
        name             varchar(255) NOT NULL CHECK (length(btrim(name)) > 0),
        description      text,
        color            varchar(32),
        asset_count      integer NOT NULL DEFAULT 0 CHECK (asset_count >= 0),
        created_at       timestamptz NOT NULL DEFAULT now(),
        updated_at       timestamptz NOT NULL DEFAULT now(),
        CHECK (parent_folder_id IS DISTINCT FROM folder_id)
      )`);
    await q.query(`CREATE INDEX folders_user_parent_idx ON folders (user_id, parent_folder_id)`);
    // One name per parent, the implicit root included (NULL parent), compared case-insensitively.
    await q.query(`
      CREATE UNIQUE INDEX folders_user_parent_name_key ON folders
        (user_id, COALESCE(parent_folder_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))`);

    await q.query(`
      CREATE TABLE assets (
        asset_id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id           uuid NOT NULL,
        folder_id         uuid REFERENCES folders (folder_id) ON DELETE RESTRICT,
        name              varchar(255) NOT NULL,
        description       text,
        asset_type        asset_type NOT NULL,
        mime_type         varchar(100) NOT NULL,
        file_extension    varchar(10) NOT NULL,
        file_size         bigint NOT NULL CHECK (file_size > 0),
        storage_path      text NOT NULL,
        original_filename varchar(255) NOT NULL,
        checksum          char(64) NOT NULL,
        status            asset_status NOT NULL,
        status_reason     text,
        metadata          jsonb NOT NULL DEFAULT '{}'::jsonb,
        current_version   integer NOT NULL DEFAULT 1,
        deleted_at        timestamptz,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX assets_user_status_idx ON assets (user_id, status)`);
    await q.query(`CREATE INDEX assets_user_type_idx ON assets (user_id, asset_type)`);
    await q.query(`CREATE INDEX assets_user_folder_idx ON assets (user_id, folder_id)`);
    await q.query(`CREATE INDEX assets_checksum_idx ON assets (checksum)`);
    // Keyset pagination of a user's library, newest first.
    await q.query(`CREATE INDEX assets_user_created_idx ON assets (user_id, created_at DESC, asset_id DESC)`);

    await q.query(`
      CREATE TABLE asset_versions (
        version_id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset_id           uuid NOT NULL REFERENCES assets (asset_id) ON DELETE CASCADE,
        version_number     integer NOT NULL CHECK (version_number > 0),
        storage_path       text NOT NULL,
        file_size          bigint NOT NULL CHECK (file_size > 0),
        checksum           char(64) NOT NULL,
        mime_type          varchar(100) NOT NULL,
        file_extension     varchar(10) NOT NULL,
        original_filename  varchar(255) NOT NULL,
        metadata           jsonb NOT NULL DEFAULT '{}'::jsonb,
        change_description text,
        created_at         timestamptz NOT NULL DEFAULT now(),
        created_by         uuid NOT NULL,
        CONSTRAINT asset_versions_asset_number_key UNIQUE (asset_id, version_number)
      )`);
    await q.query(`CREATE INDEX asset_versions_asset_idx ON asset_versions (asset_id)`);

    await q.query(`
      CREATE TABLE tags (
        tag_id      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id     uuid NOT NULL,
        name        varchar(100) NOT NULL CHECK (length(btrim(name)) > 0),
        color       varchar(32),
        usage_count integer NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX tags_user_name_key ON tags (user_id, lower(name))`);

    await q.query(`
      CREATE TABLE asset_tags (
        asset_id   uuid NOT NULL REFERENCES assets (asset_id) ON DELETE CASCADE,
        tag_id     uuid NOT NULL REFERENCES tags (tag_id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (asset_id, tag_id)
      )`);
    await q.query(`CREATE INDEX asset_tags_asset_idx ON asset_tags (asset_id)`);
    await q.query(`CREATE INDEX asset_tags_tag_idx ON asset_tags (tag_id)`);

    await q.query(`
      CREATE TABLE asset_references (
        reference_id  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        asset_id      uuid NOT NULL REFERENCES assets (asset_id) ON DELETE CASCADE,
        user_id       uuid NOT NULL,
        resource_type varchar(20) NOT NULL CHECK (resource_type IN ('project', 'template', 'batch')),
        resource_id   uuid NOT NULL,
        usage_type    varchar(40) NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT asset_references_use_key UNIQUE (resource_type, resource_id, asset_id, usage_type)
      )`);
    await q.query(`CREATE INDEX asset_references_asset_idx ON asset_references (asset_id)`);
    await q.query(`CREATE INDEX asset_references_resource_idx ON asset_references (resource_type, resource_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE asset_references`);
    await q.query(`DROP TABLE asset_tags`);
    await q.query(`DROP TABLE tags`);
    await q.query(`DROP TABLE asset_versions`);
    await q.query(`DROP TABLE assets`);
    await q.query(`DROP TABLE folders`);
    await q.query(`DROP TYPE asset_status`);
    await q.query(`DROP TYPE asset_type`);
  }
}
