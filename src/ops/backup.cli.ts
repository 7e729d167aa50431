import "reflect-metadata";
import path from "node:path";
import { loadProcessConfig } from "../config";
import { createLogger } from "../logger";
import { backup, restore } from "./backup";

const USAGE = `usage:
  npm run backup -- <directory>    the database and every stored file, into a new directory
  npm run restore -- <directory>   put a backup back (an empty database or DATA_DIR, the same storage settings)`;

/** `npm run backup` / `npm run restore`: a JSON summary on stdout, log lines on stderr. */
async function main([command, dir, ...rest]: string[]): Promise<void> {
  if (!["backup", "restore"].includes(command) || !dir || rest.length > 0) throw new Error(USAGE);
  const config = loadProcessConfig();
  const log = createLogger({ logLevel: config.logLevel === "silent" ? "warn" : config.logLevel }, process.stderr);
  const target = path.resolve(dir);
  const manifest = command === "backup" ? await backup(config, target, log) : await restore(config, target, log);
  const bytes = manifest.files.reduce((sum, f) => sum + f.size, 0);
  process.stdout.write(`${JSON.stringify({ [command === "backup" ? "backed_up" : "restored"]: target, database: manifest.database, files: manifest.files.length, bytes, created_at: manifest.createdAt }, null, 2)}\n`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
