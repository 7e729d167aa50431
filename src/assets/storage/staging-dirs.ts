import { randomBytes } from "node:crypto";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { isProcessRunning } from "../../process-alive";

/** Each process stages its files in a directory of its own under the staging root, named for the host and process that own it. */
export function ownStagingDirName(): string {
  return `${hostTag()}-${process.pid}-${randomBytes(4).toString("hex")}`;
}

const STAGING_DIR_NAME = /^(.+)-(\d+)-[0-9a-f]{8}$/;

/**
 * At start-up a process removes the staging directories of processes on its host that are gone
 * (killed, crashed) at once, and anything else untouched for `staleAfterMs` (another host's
 * leftovers on a shared disk, files from older layouts). Returns the names it removed.
 */
export async function sweepStaging(stagingRoot: string, ownDir: string, staleAfterMs = 6 * 3600_000): Promise<string[]> {
  const removed: string[] = [];
  const cutoff = Date.now() - staleAfterMs;
  for (const name of await fsp.readdir(stagingRoot)) {
    const entry = path.join(stagingRoot, name);
    if (entry === ownDir) continue;
    const owner = STAGING_DIR_NAME.exec(name);
    const stats = await fsp.stat(entry).catch(() => undefined);
    if (!stats) continue;
    const ownerGone = owner !== null && owner[1] === hostTag() && !isAlive(Number(owner[2]));
    if (ownerGone || (await newestChange(entry, stats.mtimeMs)) < cutoff) {
      await fsp.rm(entry, { recursive: true, force: true });
      removed.push(name);
    }
  }
  return removed;
}

function hostTag(): string {
  return os.hostname().replace(/[^a-zA-Z0-9.]/g, "_").slice(0, 64) || "host";
}

/** A process with this id runs here. Our own id means a previous life of this process (a restarted container is pid 1 again). */
function isAlive(pid: number): boolean {
  return pid !== process.pid && isProcessRunning(pid);
}

async function newestChange(entry: string, own: number): Promise<number> {
  const names = await fsp.readdir(entry).catch(() => [] as string[]);
  let newest = own;
  for (const name of names) {
    const stats = await fsp.stat(path.join(entry, name)).catch(() => undefined);
    if (stats) newest = Math.max(newest, stats.mtimeMs);
  }
  return newest;
}
