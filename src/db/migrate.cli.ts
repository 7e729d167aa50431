import "reflect-metadata";
import { loadProcessConfig } from "../config";
import { createLogger } from "../logger";
import { openDatabase } from "./database";

/** `npm run migrate`: applies pending migrations (embedded PostgreSQL unless DATABASE_URL is set). */
async function main(): Promise<void> {
  const config = loadProcessConfig();
  const log = createLogger({ logLevel: config.logLevel === "silent" ? "info" : config.logLevel });
  const database = await openDatabase(config, log);
  log.info({ database: database.kind }, "schema is up to date");
  await database.close();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
