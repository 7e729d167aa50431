import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { AppError, RETRY_AFTER_SECONDS, toAppError, validationFailed } from "../errors";
import { cutOffRequest } from "../http/unread-bodies";

/** The REST error envelope: `{"error": {"code", "message", "details"}}` with the code's HTTP status. */
export function restErrorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    const appError = fromBodyParser(error) ?? toAppError(error);
    if (appError.code === "INTERNAL") log.error({ err: error }, "unexpected REST error");
    if (appError.code === "SERVICE_UNAVAILABLE") log.warn({ err: appError.cause ?? error }, "a dependency is unavailable");
    if (res.headersSent) {
      // The body had started streaming: all that is left is to cut the connection.
      res.destroy();
      next();
      return;
    }
    if (appError.code === "FILE_TOO_LARGE" && !req.complete) cutOffRequest(res);
    if (appError.code === "SERVICE_UNAVAILABLE") res.setHeader("Retry-After", String(RETRY_AFTER_SECONDS));
    res.status(appError.status).json({
      error: { code: appError.code, message: appError.message, details: appError.details ?? {} },
    });
  };
}

export function notFoundRoute(_req: Request, res: Response): void {
  res.status(404).json({ error: { code: "NOT_FOUND", message: "No such endpoint", details: {} } });
}

/**
 * Errors the request parsers raise before any service runs are the client's: express.json's (bad
 * JSON, body too large) and graphql-upload-minimal's (which says 413 for size and count alike).
 */
function fromBodyParser(error: unknown): AppError | undefined {
  if (error instanceof AppError) return undefined;
  const { type, status, message = "" } = error as { type?: string; status?: number; message?: string };
  if (type === "entity.parse.failed") return validationFailed({ body: "is not valid JSON" });
  if (type === "entity.too.large") return validationFailed({ body: "is too large" });
  if (status === 413 && /max file uploads exceeded/i.test(message)) return validationFailed({ files: "send one file per request" });
  if (status === 413) return new AppError("FILE_TOO_LARGE", "The file is over the upload limit");
  if (status === 499) return new AppError("INCOMPLETE_UPLOAD", "The client disconnected during the upload", { reason: "interrupted" });
  if (status === 400) return validationFailed({ body: message.slice(0, 200) || "malformed multipart request" });
  return undefined;
}
