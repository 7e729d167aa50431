import type { MigrationInterface, QueryRunner } from "typeorm";

/**
 * The audit trail and webhooks.
 *
 * `asset_activity` keeps one row per state change of an asset, written in the transaction that
 * makes the change. It has no foreign key to `assets`: the history of a purged asset stays until
 * its retention ends. `webhook_pending` marks rows whose owner had an enabled endpoint when the
 * row was written; the dispatcher turns them into deliveries (the table is its outbox, so an
 * event is queued for webhooks exactly when its change commits).
 *
 * A delivery is one event for one endpoint, with the exact body that is signed and sent on every
 * attempt; `webhook_attempts` is its log.
 */
export class ActivityAndWebhooks1764800000000 implements MigrationInterface {
  name = "ActivityAndWebhooks1764800000000";

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE asset_activity (
        activity_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id         uuid NOT NULL,
        asset_id        uuid NOT NULL,
        folder_id       uuid,
        type            varchar(32) NOT NULL,
        actor           text NOT NULL,
        request_id      text,
        version_number  integer,
        before          jsonb,
        after           jsonb,
        webhook_pending boolean NOT NULL DEFAULT false,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX asset_activity_by_asset ON asset_activity (asset_id, activity_id DESC)`);
    await q.query(`CREATE INDEX asset_activity_by_user ON asset_activity (user_id, activity_id DESC)`);
    await q.query(`CREATE INDEX asset_activity_by_time ON asset_activity (created_at)`);
    await q.query(`CREATE INDEX asset_activity_webhook_pending ON asset_activity (activity_id) WHERE webhook_pending`);
    await q.query(`
      CREATE TABLE webhook_endpoints (
        endpoint_id          uuid PRIMARY KEY,
        user_id              uuid NOT NULL,
        url                  text NOT NULL,
        description          text,
        events               text[] NOT NULL DEFAULT '{}',
        secret               text NOT NULL,
        enabled              boolean NOT NULL DEFAULT true,
        disabled_reason      text,
        consecutive_failures integer NOT NULL DEFAULT 0,
        created_at           timestamptz NOT NULL DEFAULT now(),
        updated_at           timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhook_endpoints_by_user ON webhook_endpoints (user_id, created_at)`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        delivery_id  uuid PRIMARY KEY,
        endpoint_id  uuid NOT NULL REFERENCES webhook_endpoints (endpoint_id) ON DELETE CASCADE,
        activity_id  bigint NOT NULL,
        event_type   varchar(32) NOT NULL,
        body         text NOT NULL,
        status       varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed', 'skipped')),
        attempts     integer NOT NULL DEFAULT 0,
        created_at   timestamptz NOT NULL DEFAULT now(),
        finished_at  timestamptz,
        UNIQUE (endpoint_id, activity_id)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE webhook_attempts (
        delivery_id  uuid NOT NULL REFERENCES webhook_deliveries (delivery_id) ON DELETE CASCADE,
        attempt      integer NOT NULL,
        status_code  integer,
        error        text,
        latency_ms   integer NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (delivery_id, attempt)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_endpoints`);
    await q.query(`DROP TABLE asset_activity`);
  }
}
