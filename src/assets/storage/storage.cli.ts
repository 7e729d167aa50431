import "reflect-metadata";
import { loadConfig, loadProcessConfig } from "../../config";
import { openDatabase } from "../../db/database";
import { ENTITIES } from "../entities";
import { createLogger } from "../../logger";
import { StorageReconcileService } from "../storage-reconcile.service";
import { LocalDiskStorage } from "./local-driver";
import { migrateToS3 } from "./migrate-storage";
import { openS3Storage, openStorage } from "./open-storage";

const USAGE = `usage:
  npm run storage -- reconcile [--fix]   stored files no row names, and rows whose file is missing (--fix removes the former)
  npm run storage -- migrate --to s3     copy every stored file from STORAGE_DIR to the S3 bucket the S3_* variables name`;

/** `npm run storage`: operator tools over the configured storage. Prints a JSON report on stdout. */
async function main(args: string[]): Promise<void> {
  const config = loadProcessConfig();
  // Log lines go to stderr: stdout carries only the JSON report.
  const log = createLogger({ logLevel: config.logLevel === "silent" ? "warn" : config.logLevel }, process.stderr);
  const [command, ...rest] = args;
  if (command === "reconcile" && rest.every((a) => a === "--fix")) {
    const database = await openDatabase(config, log, ENTITIES);
    const storage = openStorage(config);
    await storage.init();
    try {
      const fix = rest.includes("--fix");
      const report = await new StorageReconcileService(database.dataSource, storage, log).run(config.storageReconcile.graceSeconds, { fix });
      if (!report) throw new Error("another process is reconciling storage right now; try again when it is done");
      process.stdout.write(`${JSON.stringify({ ...report, fixed: fix }, null, 2)}\n`);
    } finally {
      await storage.close();
      await database.close();
    }
    return;
  }
  if (command === "migrate" && rest.join(" ") === "--to s3") {
    if (config.s3) throw new Error("STORAGE_DRIVER is already s3: migrate copies from the local STORAGE_DIR, so run it with STORAGE_DRIVER=local (or unset)");
    const target = loadConfig({ ...process.env, STORAGE_DRIVER: "s3" }).s3!;
    const source = new LocalDiskStorage(config.storageDir);
    const destination = openS3Storage(target, config.storageDir);
    await source.init();
    try {
      const report = await migrateToS3(source, destination, log);
      process.stdout.write(`${JSON.stringify({ ...report, target: `s3://${target.bucket}/${target.prefix}` }, null, 2)}\n`);
      process.stderr.write(
        `Every stored file is in s3://${target.bucket}/${target.prefix}. To switch: set STORAGE_DRIVER=s3 with the same S3_* variables on every API and worker process and restart them; uploads made meanwhile are copied by running this again first. Then \`npm run storage -- reconcile\` should report nothing missing.\n`,
      );
    } finally {
      await source.close();
      await destination.close();
    }
    return;
  }
  throw new Error(USAGE);
}

main(process.argv.slice(2)).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
