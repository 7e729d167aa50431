import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Opening a folder lists it newest first. With only (user_id, folder_id) indexed, PostgreSQL read
 * every asset of the folder and sorted them to keep 101. For a folder of 4,000 that was 15 ms of
 * a page's 19; now it walks the folder's entries in order and stops at the page's end (0.8 ms).
 * The new index replaces the old one, which is its prefix: every statement that used the old
 * index (counts, subtrees, a folder's contents) can use this one, and each write still updates
 * one index for folders.
 */
export class FolderCreatedIndex1765100000000 implements MigrationInterface {
  name = "FolderCreatedIndex1765100000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX assets_user_folder_created_idx ON assets (user_id, folder_id, created_at, asset_id)`);
    await q.query(`DROP INDEX assets_user_folder_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX assets_user_folder_idx ON assets (user_id, folder_id)`);
    await q.query(`DROP INDEX assets_user_folder_created_idx`);
  }
}
