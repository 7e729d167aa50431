import { randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { ownStagingDirName, sweepStaging } from "./staging-dirs";

const STAGING_NAME = /^[a-z0-9][a-z0-9.-]{0,127}$/;

/**
 * The local directory where uploads land and media tools work, whatever holds the stored files:
 * this process stages in a directory of its own under `root`, so a process that is gone can be
 * told from one that is busy.
 */
export class LocalStaging {
  readonly dir: string;

  constructor(readonly root: string) {
    this.dir = path.join(root, ownStagingDirName());
  }

  /** Creates this process's staging directory and removes those of processes that are gone. */
  async init(): Promise<string[]> {
    await fsp.mkdir(this.dir, { recursive: true });
    return sweepStaging(this.root, this.dir);
  }

  /** Removes this process's staging directory (at a clean shutdown). */
  async close(): Promise<void> {
    await fsp.rm(this.dir, { recursive: true, force: true });
  }

  path(name?: string): string {
    if (name !== undefined && !STAGING_NAME.test(name)) throw new Error(`bad staging name "${name}"`);
    return path.join(this.dir, name ?? `upload-${randomUUID()}`);
  }

  async clear(prefix: string): Promise<void> {
    if (!STAGING_NAME.test(prefix)) throw new Error(`bad staging prefix "${prefix}"`);
    for (const name of await fsp.readdir(this.dir)) {
      if (name.startsWith(prefix)) await fsp.rm(path.join(this.dir, name), { force: true });
    }
  }

  async checkWritable(): Promise<void> {
    await fsp.access(this.dir, fs.constants.W_OK);
  }
}
