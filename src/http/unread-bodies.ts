import type { NextFunction, Request, Response } from "express";
import type { Socket } from "node:net";
import { MAX_UPLOAD_BYTES } from "../assets/asset-types";
import { AppError } from "../errors";

/** Multipart framing and text fields an upload request may carry beside its largest file. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;
const MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES;

/** How long a cut-off connection keeps draining so its client can read the answer. */
const LINGER_MS = 2000;

/**
 * What happens to the rest of a request body the server answered before reading it all.
 *
 * An upload cut off for size is answered with `Connection: close` (see `cutOffRequest`): after the
 * answer the socket is half-closed and what is already in flight is discarded for a moment (a
 * "lingering close", as nginx does), so the client reads the 413 instead of a connection reset;
 * then the socket is destroyed. Any other early answer (a refused type, a bad token) reads and
 * discards the rest, up to the largest upload allowed, and keeps the connection.
 */
export function settleUnreadBodies(req: Request, res: Response, next: NextFunction): void {
  const writeHead = res.writeHead;
  res.writeHead = function settleThenWriteHead(this: Response, ...args: unknown[]) {
    if (!req.complete && !req.destroyed) {
      if (String(res.getHeader("connection") ?? "").toLowerCase() === "close") lingerThenClose(req);
      else res.once("finish", () => discardRest(req));
    }
    return (writeHead as (...a: unknown[]) => Response).apply(this, args);
  } as Response["writeHead"];
  next();
}

/**
 * A request that declares more bytes than any upload may have is refused at once (413), before
 * a byte of its body is read or anything is staged; the connection closes after the answer.
 */
export function refuseOversizedRequests(req: Request, res: Response, next: NextFunction): void {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_REQUEST_BYTES) {
    cutOffRequest(res);
    next(new AppError("FILE_TOO_LARGE", `The request declares ${declared} bytes; no upload may be over ${MAX_UPLOAD_BYTES}`, { max_bytes: MAX_UPLOAD_BYTES }));
    return;
  }
  next();
}

/** Marks the response so the connection closes after it: no more of the body is read. */
export function cutOffRequest(res: Pick<Response, "setHeader" | "headersSent">): void {
  if (!res.headersSent) res.setHeader("Connection", "close");
}

function discardRest(req: Request): void {
  if (req.complete || req.destroyed) return;
  let discarded = 0;
  req.unpipe();
  req.on("data", (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_UPLOAD_BYTES) req.socket.destroy();
  });
  req.resume();
}

/** Replaces Node's close-after-response (which resets a socket with unread data) for this socket. */
function lingerThenClose(req: Request): void {
  const socket = req.socket as Socket & { destroySoon(): void };
  socket.destroySoon = () => {
    socket.end();
    req.unpipe();
    req.on("data", () => undefined);
    req.resume();
    socket.once("end", () => socket.destroy());
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}
