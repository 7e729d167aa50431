import cors from "cors";
import type { RequestHandler } from "express";

/** Headers a browser app may read from answers besides the CORS-safelisted ones. */
const EXPOSED = ["X-Request-Id", "Retry-After", "ETag", "Content-Disposition", "Content-Range", "Accept-Ranges", "Location", "Upload-Offset", "Upload-Length", "Upload-Expires", "Tus-Resumable"];

/**
 * CORS for browser frontends on other origins (CORS_ORIGINS). Bearer tokens travel in the
 * Authorization header, never in cookies, so credentials stay off; preflights are answered here
 * (for tus too: Tus-Resumable, Upload-Offset and Upload-Checksum are request headers like any
 * other) and cached for ten minutes. With no origins configured nothing is added: same-origin only.
 */
export function corsFor(origins: string[]): RequestHandler {
  if (origins.length === 0) return (_req, _res, next) => next();
  return cors({
    origin: origins.includes("*") ? "*" : origins,
    exposedHeaders: EXPOSED,
    maxAge: 600,
    credentials: false,
  });
}
