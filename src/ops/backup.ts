import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Logger } from "pino";
import type { Config } from "../config";
import { isProcessRunning } from "../process-alive";
import { openStorage } from "../assets/storage/open-storage";

/** What a backup directory holds; written last, so a directory without it is no backup. */
export interface BackupManifest {
  format: 1;
  createdAt: string;
  /** `pg_dump`: database.dump from the server's pg_dump; `embedded`: a copy of the stopped embedded cluster. */
  database: "pg_dump" | "embedded";
  files: Array<{ key: string; size: number; sha256: string }>;
}

const MANIFEST = "manifest.json";

/**
 * Backs up the database and every stored file into `dir` (new or empty). A PostgreSQL server
 * (DATABASE_URL) is dumped with its own pg_dump (`--format=custom`) while the service runs. The
 * embedded PostgreSQL ships no pg_dump, so its cluster directory is copied whole instead, which
 * PostgreSQL allows only while it is stopped: stop the service first. Stored files are read
 * through the storage driver (local disk or S3) with their SHA-256.
 */
export async function backup(config: Config, dir: string, log: Logger): Promise<BackupManifest> {
  await fsp.mkdir(dir, { recursive: true });
  if ((await fsp.readdir(dir)).length > 0) throw new Error(`${dir} is not empty: back up into a new directory`);
  let database: BackupManifest["database"];
  if (config.databaseUrl) {
    await run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file", path.join(dir, "database.dump"), config.databaseUrl]);
    database = "pg_dump";
  } else {
    const cluster = embeddedCluster(config);
    await requireStopped(cluster);
    await copyTree(cluster, path.join(dir, "postgres"));
    await fsp.copyFile(path.join(config.dataDir, "postgres-password"), path.join(dir, "postgres-password"));
    database = "embedded";
  }
  log.info({ database }, "database backed up");

  const storage = openStorage(config);
  await storage.init();
  const files: BackupManifest["files"] = [];
  try {
    for await (const { key } of storage.list()) {
      const target = path.join(dir, "files", key);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      const { size, sha256 } = await hashedCopy(await storage.read(key), target);
      files.push({ key, size, sha256 });
    }
  } finally {
    await storage.close();
  }
  const manifest: BackupManifest = { format: 1, createdAt: new Date().toISOString(), database, files };
  await fsp.writeFile(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Restores a backup: every file is checked against the manifest first, then the database is
 * restored (pg_restore into DATABASE_URL's database, or the embedded cluster copied back into an
 * empty DATA_DIR/postgres, the service stopped), then the files are stored through the driver.
 */
export async function restore(config: Config, dir: string, log: Logger): Promise<BackupManifest> {
  const manifest = JSON.parse(await fsp.readFile(path.join(dir, MANIFEST), "utf8")) as BackupManifest;
  if (manifest.format !== 1) throw new Error(`${dir}: unknown backup format ${String(manifest.format)}`);
  for (const file of manifest.files) {
    const { sha256 } = await hashedCopy(fs.createReadStream(path.join(dir, "files", file.key)));
    if (sha256 !== file.sha256) throw new Error(`${file.key}: the backup's copy does not match its manifest; nothing was restored`);
  }
  if (manifest.database === "pg_dump") {
    if (!config.databaseUrl) throw new Error("this backup is a pg_dump of a PostgreSQL server: set DATABASE_URL to the database to restore into");
    await run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--dbname", config.databaseUrl, path.join(dir, "database.dump")]);
  } else {
    if (config.databaseUrl) throw new Error("this backup is of the embedded PostgreSQL: unset DATABASE_URL to restore it into DATA_DIR");
    const cluster = embeddedCluster(config);
    await requireStopped(cluster);
    if (await fsp.stat(cluster).then(() => true, () => false)) throw new Error(`${cluster} exists: move it away (or set DATA_DIR to a new directory) to restore into it`);
    await copyTree(path.join(dir, "postgres"), cluster);
    await fsp.copyFile(path.join(dir, "postgres-password"), path.join(config.dataDir, "postgres-password"));
  }
  log.info({ database: manifest.database }, "database restored");

  const storage = openStorage(config);
  await storage.init();
  try {
    for (const file of manifest.files) {
      const staged = storage.stagingPath();
      await fsp.copyFile(path.join(dir, "files", file.key), staged);
      await storage.commit(staged, file.key);
    }
  } finally {
    await storage.close();
  }
  return manifest;
}

function embeddedCluster(config: Config): string {
  return path.join(config.dataDir, "postgres");
}

async function requireStopped(cluster: string): Promise<void> {
  const pid = Number((await fsp.readFile(path.join(cluster, "postmaster.pid"), "utf8").catch(() => "")).split("\n")[0]);
  if (pid > 0 && isProcessRunning(pid)) {
    throw new Error(`the embedded PostgreSQL (pid ${pid}) is running on ${cluster}: stop the service (and its workers) first; a running cluster cannot be copied consistently`);
  }
}

/** Copies a directory tree keeping modes and, when run as root, owners (the cluster belongs to the `postgres` user). */
async function copyTree(from: string, to: string): Promise<void> {
  const stats = await fsp.stat(from);
  await fsp.mkdir(to, { mode: stats.mode & 0o7777 });
  await keepOwner(to, stats);
  for (const entry of await fsp.readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await copyTree(source, target);
    else if (entry.isFile()) {
      await fsp.copyFile(source, target);
      const fileStats = await fsp.stat(source);
      await fsp.chmod(target, fileStats.mode & 0o7777);
      await keepOwner(target, fileStats);
    }
  }
  await fsp.chmod(to, stats.mode & 0o7777);
}

async function keepOwner(target: string, stats: fs.Stats): Promise<void> {
  if (process.getuid?.() === 0) await fsp.chown(target, stats.uid, stats.gid);
}

async function hashedCopy(source: NodeJS.ReadableStream, target?: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash("sha256");
  let size = 0;
  const counting = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  if (target) await pipeline(source, counting, fs.createWriteStream(target, { flags: "wx" }));
  else {
    await pipeline(source, counting, async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) void chunk;
    });
  }
  return { size, sha256: hash.digest("hex") };
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "pipe"] });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    child.once("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new Error(`${command} was not found: install PostgreSQL's client programs (Debian: postgresql-client) matching the server's version`) : error),
    );
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (exit ${code}): ${stderr.trim().slice(0, 2000)}`))));
  });
}
