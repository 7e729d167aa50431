import type { Request, Response } from "express";
import { pipeline } from "node:stream/promises";
import type { ByteRange, StorageDriver } from "../assets/storage/storage-driver";
import type { StoredFile } from "../assets/stored-files";


/**
 * Streams a stored file with ETag (its checksum), conditional GET, a single byte Range (206/416)
 * and a Content-Disposition carrying the original name. SVG gets a CSP that forbids everything,
 * and nothing is ever content-sniffed.
 */
export async function sendStoredFile(req: Request, res: Response, storage: StorageDriver, file: StoredFile, cacheControl = "private, no-cache"): Promise<void> {
  const etag = `"${file.etag}"`;
  res.setHeader("ETag", etag);
  res.setHeader("Accept-Ranges", "bytes");
  res.setHeader("Cache-Control", cacheControl);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Content-Disposition", contentDisposition(file.filename, file.inline));
  if (file.mimeType === "image/svg+xml") res.setHeader("Content-Security-Policy", "default-src 'none'");
  res.setHeader("Content-Type", file.mimeType);

  if (matchesEtag(req.headers["if-none-match"], etag)) {
    res.status(304).end();
    return;
  }

  const ifRange = req.headers["if-range"];
  const range = ifRange === undefined || ifRange === etag ? parseRange(req.headers.range, file.size) : undefined;
  if (range === "unsatisfiable") {
    res.status(416).setHeader("Content-Range", `bytes */${file.size}`).end();
    return;
  }
  if (range) {
    res.status(206).setHeader("Content-Range", `bytes ${range.start}-${range.end}/${file.size}`);
    res.setHeader("Content-Length", range.end - range.start + 1);
  } else {
    res.status(200).setHeader("Content-Length", file.size);
  }
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  const body = await storage.read(file.key, range);
  await pipeline(body, res).catch((error: NodeJS.ErrnoException) => {
    // A client that stops reading is not a server error.
    if (error.code !== "ERR_STREAM_PREMATURE_CLOSE") throw error;
  });
}

/** SigV4 presigned URLs live at most a week. */
const PRESIGNED_MAX_SECONDS = 7 * 86_400;

/**
 * Sends the client to the store itself (302 to a presigned GET with the same lifetime, type and
 * file name), so the bytes bypass the API. SVG keeps streaming through the API, which adds the
 * Content-Security-Policy the store would not send. Returns false when it did not redirect.
 */
export async function redirectToStore(res: Response, storage: StorageDriver, file: StoredFile, remainingSeconds: number): Promise<boolean> {
  if (!storage.presignedDownload || file.mimeType === "image/svg+xml" || remainingSeconds <= 0) return false;
  const expiresInSeconds = Math.min(remainingSeconds, PRESIGNED_MAX_SECONDS);
  const location = await storage.presignedDownload(file.key, { expiresInSeconds, contentType: file.mimeType, contentDisposition: contentDisposition(file.filename) });
  res.setHeader("Cache-Control", `private, max-age=${expiresInSeconds}`);
  res.redirect(302, location);
  return true;
}

/** One `bytes=` range; several ranges get the whole file (allowed by RFC 9110). */
export function parseRange(header: string | undefined, size: number): ByteRange | "unsatisfiable" | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return header.includes(",") || !header.startsWith("bytes=") ? undefined : "unsatisfiable";
  const [, first, last] = match;
  if (first === "" && last === "") return "unsatisfiable";
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { start, end };
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(",").some((candidate) => {
    const tag = candidate.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag;
  });
}

export function contentDisposition(filename: string, inline = false): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? "inline" : "attachment"}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
