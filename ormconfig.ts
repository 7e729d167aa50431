/**
 * The data source for the TypeORM CLI (e.g. `npx typeorm -d ormconfig.ts migration:show`).
 * It needs DATABASE_URL; the service itself opens the database through src/db/database.ts,
 * which also starts the embedded PostgreSQL when DATABASE_URL is unset.
 */
import "reflect-metadata";
import { loadConfig } from "./src/config";
import { ENTITIES } from "./src/assets/entities";
import { createDataSource } from "./src/db/data-source";

const { databaseUrl } = loadConfig();
if (!databaseUrl) throw new Error("ormconfig.ts: set DATABASE_URL (the TypeORM CLI does not start the embedded PostgreSQL)");

export default createDataSource(databaseUrl, { entities: ENTITIES });
