import path from "node:path";
import type { Logger } from "pino";
import type { DataSource, DataSourceOptions } from "typeorm";
import type { Config } from "../config";
import { createDataSource } from "./data-source";
import { startEmbeddedPostgres } from "./embedded-postgres";

export interface Database {
  dataSource: DataSource;
  /** The connection string, for clients that keep their own pool (the job queue). */
  url: string;
  /** "embedded" when this process started its own PostgreSQL. */
  kind: "embedded" | "external";
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL, and brings the schema up to date.
 * `entities`: the domain's, for the processes that use the ORM (the service, its CLIs).
 */
export async function openDatabase(config: Config, log: Logger, entities: DataSourceOptions["entities"] = []): Promise<Database> {
  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres(path.join(config.dataDir, "postgres"), log);
  const url = config.databaseUrl ?? embedded!.url;
  const dataSource = createDataSource(url, { entities, timeouts: config.databaseTimeouts, extraConnections: config.workerConcurrency });
  try {
    await migrate(url, log);
    await dataSource.initialize();
  } catch (error) {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.stop();
    throw error;
  }
  return {
    dataSource,
    url,
    kind: embedded ? "embedded" : "external",
    async close() {
      await dataSource.destroy();
      await embedded?.stop();
    },
  };
}

/** Migrations run on their own short-lived connection with no statement timeout: an index build may take minutes. */
async function migrate(url: string, log: Logger): Promise<void> {
  const migrator = createDataSource(url);
  await migrator.initialize();
  try {
    const applied = await migrator.runMigrations();
    if (applied.length > 0) log.info({ migrations: applied.map((m) => m.name) }, "migrations applied");
  } finally {
    await migrator.destroy();
  }
}
