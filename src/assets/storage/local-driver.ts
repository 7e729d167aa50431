import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { LocalStaging } from "./local-staging";
import { resolveUnder } from "./paths";
import type { ByteRange, StorageDriver } from "./storage-driver";

/** Below this much free space a new upload (up to 200 MB) cannot be taken. */
const MIN_FREE_BYTES = 256 * 1024 * 1024;

/**
 * Files under a root directory on local disk. This process stages in a directory of its own under
 * `root/tmp`, on the same file system so a commit is a rename.
 */
export class LocalDiskStorage implements StorageDriver {
  readonly kind = "local";
  private readonly staging: LocalStaging;

  constructor(readonly root: string) {
    this.staging = new LocalStaging(path.join(root, "tmp"));
  }

  init(): Promise<string[]> {
    return this.staging.init();
  }

  close(): Promise<void> {
    return this.staging.close();
  }

  stagingPath(name?: string): string {
    return this.staging.path(name);
  }

  clearStaging(prefix: string): Promise<void> {
    return this.staging.clear(prefix);
  }

  async commit(stagedPath: string, key: string): Promise<void> {
    const target = resolveUnder(this.root, key);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    await fsp.rename(stagedPath, target);
    await fsyncDirectory(path.dirname(target));
  }

  async read(key: string, range?: ByteRange): Promise<Readable> {
    const file = resolveUnder(this.root, key);
    const handle = await fsp.open(file, "r");
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  /** The file already is local: `use` gets its real path. */
  withLocalFile<T>(key: string, use: (file: string) => Promise<T>): Promise<T> {
    return use(resolveUnder(this.root, key));
  }

  async stat(key: string): Promise<{ size: number } | undefined> {
    try {
      const stats = await fsp.stat(resolveUnder(this.root, key));
      return { size: stats.size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(resolveUnder(this.root, key), { force: true });
  }

  async *list(): AsyncIterable<{ key: string; modifiedAt: Date }> {
    yield* walk(this.root, ASSET_FILES_DIR);
  }

  async check(): Promise<"ok" | "full"> {
    await this.staging.checkWritable();
    const space = await fsp.statfs(this.root);
    return space.bavail * space.bsize < MIN_FREE_BYTES ? "full" : "ok";
  }
}

/** Stored files live under this top-level directory (see paths.ts); `tmp/` holds staging. */
const ASSET_FILES_DIR = "assets";

async function* walk(root: string, relative: string): AsyncIterable<{ key: string; modifiedAt: Date }> {
  const entries = await fsp.readdir(path.join(root, relative), { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const key = `${relative}/${entry.name}`;
    if (entry.isDirectory()) yield* walk(root, key);
    else if (entry.isFile()) {
      const stats = await fsp.stat(path.join(root, key)).catch(() => undefined);
      if (stats) yield { key, modifiedAt: stats.mtime };
    }
  }
}

/** Makes a rename durable: the directory entry is flushed, not only the file's data. */
async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await fsp.open(dir, fs.constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
