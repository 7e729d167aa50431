import { DataSource, type DataSourceOptions } from "typeorm";
import { MIGRATIONS } from "../../migrations";
import { useFastTimestamptz } from "./timestamptz";

/** Bounds on every wait for the database, so a stalled or stopped server costs a request seconds, not minutes. */
export interface DatabaseTimeouts {
  /** Waiting for a pooled connection, or for a new one to open. */
  connectMs: number;
  /** One statement: cancelled by the server, and given up on by the client a little later (a stalled server cancels nothing). */
  queryMs: number;
  /** Waiting for a row or advisory lock. */
  lockMs: number;
}

/**
 * Every statement of this service is an indexed look-up or a LIMITed walk of an index: starting
 * parallel workers costs it far more than it could save (a tag-filtered page of 100 over a
 * 200,000-asset library took 65 ms with two workers, of which 52 ms before the first row, and
 * 3.7 ms without), and under concurrent requests the workers only compete for the same cores.
 */
export const SESSION_OPTIONS = "-c max_parallel_workers_per_gather=0";

/** How much longer than the server's statement timeout the client waits for an answer. */
const CLIENT_GRACE_MS = 1000;

/**
 * Without `timeouts` (migrations, which may build indexes for minutes) no wait is bounded.
 * `extraConnections` adds to the pool what this process's workers hold for as long as a job
 * runs (each keeps its job's liveness lock on a connection of its own).
 */
export function createDataSource(url: string, options: { entities?: DataSourceOptions["entities"]; timeouts?: DatabaseTimeouts; extraConnections?: number } = {}): DataSource {
  const { timeouts, extraConnections = 0 } = options;
  useFastTimestamptz();
  return new DataSource({
    type: "postgres",
    url,
    // The domain's entities come from the caller (the composition root), so this layer imports none of them.
    entities: options.entities ?? [],
    migrations: MIGRATIONS,
    migrationsTableName: "schema_migrations",
    migrationsTransactionMode: "each",
    uuidExtension: "pgcrypto",
    synchronize: false,
    logging: false,
    extra: {
      max: 20 + extraConnections,
      application_name: "asset-library",
      options: SESSION_OPTIONS,
      ...(timeouts ? pgTimeouts(timeouts) : {}),
    },
  });
}

/** The same bounds in node-postgres's terms, for any pool of this service (the job queue's too). */
export function pgTimeouts(timeouts: DatabaseTimeouts) {
  return {
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.queryMs,
    query_timeout: timeouts.queryMs + CLIENT_GRACE_MS,
    lock_timeout: timeouts.lockMs,
    idle_in_transaction_session_timeout: Math.max(30_000, timeouts.queryMs * 2),
    // A dead peer is noticed by TCP keepalive, not only by the next query.
    keepAlive: true,
  };
}
