import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Counts of a user's assets by (type, folder, status), and of a tag's assets by the same, kept by
 * triggers in the same transaction as every change to `assets` and `asset_tags`. Search reads a
 * browse's total and facets from them (a few rows) instead of counting every matching asset (all
 * 200,000 of a large library on every page). Triggers, not service code, keep them: every path
 * that changes an asset (upload, move, delete, restore, a forced folder delete, purge, the job
 * that marks it ready, a test's seed) is covered by one rule, and a test recounts.
 *
 * The root folder is keyed by the zero UUID, so the key has no NULL. Deltas are summed per key and
 * applied in key order, so concurrent statements take the count rows' locks in the same order.
 * `asset_tag_counts` has no foreign key to `tags`, on purpose: a job that moves an asset's counts
 * must never wait for a tag's row (which a tag being deleted holds while it waits for the count
 * rows: a deadlock). A deleted tag's rows go with it, by trigger; a count row a racing job
 * re-creates for a tag deleted a moment earlier names no tag, and nothing reads it.
 */
const ROOT = `'00000000-0000-0000-0000-000000000000'::uuid`;

const KEYS = { asset_counts: "user_id, asset_type, folder_key, status", asset_tag_counts: "tag_id, asset_type, folder_key, status" } as const;

/**
 * The one way deltas reach a count table: `rows` selects (key columns…, delta) already summed per
 * key; they are added in key order (so concurrent statements lock count rows in the same order),
 * creating the rows they lack.
 */
function addTo(table: keyof typeof KEYS, rows: string): string {
  return `INSERT INTO ${table} AS c (${KEYS[table]}, n)
        ${rows} ORDER BY 1, 2, 3, 4
        ON CONFLICT (${KEYS[table]}) DO UPDATE SET n = c.n + excluded.n`;
}

export class KeptCounts1764600000000 implements MigrationInterface {
  name = "KeptCounts1764600000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE asset_counts (
        user_id    uuid NOT NULL,
        asset_type asset_type NOT NULL,
        folder_key uuid NOT NULL,
        status     asset_status NOT NULL,
        n          bigint NOT NULL,
        PRIMARY KEY (user_id, asset_type, folder_key, status)
      )`);
    await q.query(`
      CREATE TABLE asset_tag_counts (
        tag_id     uuid NOT NULL,
        asset_type asset_type NOT NULL,
        folder_key uuid NOT NULL,
        status     asset_status NOT NULL,
        n          bigint NOT NULL,
        PRIMARY KEY (tag_id, asset_type, folder_key, status)
      )`);

    // New assets carry no tags yet (they are linked by a later statement).
    await q.query(`
      CREATE FUNCTION asset_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addTo("asset_counts", `SELECT user_id, asset_type, coalesce(folder_id, ${ROOT}), status, count(*) FROM new_rows GROUP BY 1, 2, 3, 4`)};
        RETURN NULL;
      END $$`);
    // Only rows whose type, folder or status changed move between counts (with their tags').
    await q.query(`
      CREATE FUNCTION asset_counts_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        WITH changed AS (
          SELECT o.asset_id, o.user_id AS old_user, o.asset_type AS old_type, coalesce(o.folder_id, ${ROOT}) AS old_folder, o.status AS old_status,
                 n.user_id AS new_user, n.asset_type AS new_type, coalesce(n.folder_id, ${ROOT}) AS new_folder, n.status AS new_status
            FROM old_rows o JOIN new_rows n USING (asset_id)
           WHERE (o.user_id, o.asset_type, o.folder_id, o.status) IS DISTINCT FROM (n.user_id, n.asset_type, n.folder_id, n.status)
        ), moves AS (
          SELECT asset_id, old_user AS user_id, old_type AS asset_type, old_folder AS folder_key, old_status AS status, -1 AS d FROM changed
          UNION ALL
          SELECT asset_id, new_user, new_type, new_folder, new_status, 1 FROM changed
        ), by_user AS (
          ${addTo("asset_counts", `SELECT user_id, asset_type, folder_key, status, sum(d) FROM moves GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0`)}
          RETURNING 1
        )
        ${addTo("asset_tag_counts", `SELECT t.tag_id, m.asset_type, m.folder_key, m.status, sum(m.d) FROM moves m JOIN asset_tags t USING (asset_id) GROUP BY 1, 2, 3, 4 HAVING sum(m.d) <> 0`)};
        RETURN NULL;
      END $$`);
    // Before the row goes, while its tag links still exist (the cascade removes them after).
    await q.query(`
      CREATE FUNCTION asset_counts_before_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE asset_counts SET n = n - 1
         WHERE user_id = OLD.user_id AND asset_type = OLD.asset_type AND folder_key = coalesce(OLD.folder_id, ${ROOT}) AND status = OLD.status;
        UPDATE asset_tag_counts c SET n = c.n - 1 FROM asset_tags t
         WHERE t.asset_id = OLD.asset_id AND c.tag_id = t.tag_id
           AND c.asset_type = OLD.asset_type AND c.folder_key = coalesce(OLD.folder_id, ${ROOT}) AND c.status = OLD.status;
        RETURN OLD;
      END $$`);
    await q.query(`
      CREATE FUNCTION asset_tag_counts_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${addTo("asset_tag_counts", `SELECT t.tag_id, a.asset_type, coalesce(a.folder_id, ${ROOT}), a.status, count(*) FROM new_rows t JOIN assets a USING (asset_id) GROUP BY 1, 2, 3, 4`)};
        RETURN NULL;
      END $$`);
    // Links removed with their asset find no asset here: its delete trigger already counted them.
    await q.query(`
      CREATE FUNCTION asset_tag_counts_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE asset_tag_counts c SET n = c.n - d.k
          FROM (SELECT t.tag_id, a.asset_type, coalesce(a.folder_id, ${ROOT}) AS folder_key, a.status, count(*) AS k
                  FROM old_rows t JOIN assets a USING (asset_id) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4) d
         WHERE c.tag_id = d.tag_id AND c.asset_type = d.asset_type AND c.folder_key = d.folder_key AND c.status = d.status;
        RETURN NULL;
      END $$`);

    await q.query(`
      CREATE FUNCTION asset_tag_counts_after_tag_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM asset_tag_counts WHERE tag_id IN (SELECT tag_id FROM old_rows);
        RETURN NULL;
      END $$`);

    await q.query(`CREATE TRIGGER asset_counts_insert AFTER INSERT ON assets REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_counts_after_insert()`);
    await q.query(`CREATE TRIGGER asset_counts_update AFTER UPDATE ON assets REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_counts_after_update()`);
    await q.query(`CREATE TRIGGER asset_counts_delete BEFORE DELETE ON assets FOR EACH ROW EXECUTE FUNCTION asset_counts_before_delete()`);
    await q.query(`CREATE TRIGGER asset_tag_counts_insert AFTER INSERT ON asset_tags REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_tag_counts_after_insert()`);
    await q.query(`CREATE TRIGGER asset_tag_counts_delete AFTER DELETE ON asset_tags REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_tag_counts_after_delete()`);
    await q.query(`CREATE TRIGGER asset_tag_counts_tag_delete AFTER DELETE ON tags REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION asset_tag_counts_after_tag_delete()`);

    await q.query(`
      INSERT INTO asset_counts (user_id, asset_type, folder_key, status, n)
      SELECT user_id, asset_type, coalesce(folder_id, ${ROOT}), status, count(*) FROM assets GROUP BY 1, 2, 3, 4`);
    await q.query(`
      INSERT INTO asset_tag_counts (tag_id, asset_type, folder_key, status, n)
      SELECT t.tag_id, a.asset_type, coalesce(a.folder_id, ${ROOT}), a.status, count(*) FROM asset_tags t JOIN assets a USING (asset_id) GROUP BY 1, 2, 3, 4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER asset_tag_counts_tag_delete ON tags`);
    await q.query(`DROP TRIGGER asset_tag_counts_delete ON asset_tags`);
    await q.query(`DROP TRIGGER asset_tag_counts_insert ON asset_tags`);
    await q.query(`DROP TRIGGER asset_counts_delete ON assets`);
    await q.query(`DROP TRIGGER asset_counts_update ON assets`);
    await q.query(`DROP TRIGGER asset_counts_insert ON assets`);
    for (const fn of ["asset_tag_counts_after_tag_delete", "asset_tag_counts_after_delete", "asset_tag_counts_after_insert", "asset_counts_before_delete", "asset_counts_after_update", "asset_counts_after_insert"]) {
      await q.query(`DROP FUNCTION ${fn}()`);
    }
    await q.query(`DROP TABLE asset_tag_counts`);
    await q.query(`DROP TABLE asset_counts`);
  }
}
