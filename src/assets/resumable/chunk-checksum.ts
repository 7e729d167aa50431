import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The tus checksum extension, for SHA-256: a PATCH (or a creation-with-upload POST) may carry
 * `Upload-Checksum: sha256 <base64 digest>` for its own body. The HTTP layer parses the header
 * and runs the request inside `withChunkChecksum`; the store (see `ChecksummedStore`) reads it
 * where the bytes are written, however deep in @tus/server's handlers that happens.
 */
export const CHECKSUM_ALGORITHMS = ["sha256"] as const;

export interface ChunkChecksum {
  algorithm: "sha256";
  /** The expected digest, raw bytes. */
  digest: Buffer;
}

const current = new AsyncLocalStorage<ChunkChecksum | undefined>();

export function withChunkChecksum<T>(checksum: ChunkChecksum | undefined, run: () => T): T {
  return current.run(checksum, run);
}

export function currentChunkChecksum(): ChunkChecksum | undefined {
  return current.getStore();
}

/** Parses `Upload-Checksum`; undefined when absent, an error message when it cannot be used. */
export function parseUploadChecksum(header: string | undefined): ChunkChecksum | undefined | { problem: string } {
  if (header === undefined) return undefined;
  const match = /^([A-Za-z0-9-]+) ([A-Za-z0-9+/]+={0,2})$/.exec(header.trim());
  if (!match) return { problem: "Upload-Checksum must be `<algorithm> <base64 digest>`" };
  const algorithm = match[1].toLowerCase();
  if (algorithm !== "sha256") return { problem: `Upload-Checksum algorithm ${match[1]} is not supported; use sha256` };
  const digest = Buffer.from(match[2], "base64");
  if (digest.length !== 32) return { problem: "Upload-Checksum sha256 digest must be 32 bytes, base64-encoded" };
  return { algorithm: "sha256", digest };
}
