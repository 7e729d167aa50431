import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { AppError, toAppError, validationFailed } from "../errors";
import { cutOffRequest } from "../http/unread-bodies";

/** The REST error envelope: `{"error": {"code", "message", "details"}}` with the code's HTTP status. */
export function restErrorHandler(log: Logger) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    const appError = fromBodyParser(error) ?? toAppError(error);
    if (appError.code === "INTERNAL") log.error({ err: error }, "unexpected REST error");
    if (res.headersSent) {
      // The body had started streaming: all that is left is to cut the connection.
      res.destroy();
      next();
      return;
    }
    if (appError.code === "FILE_TOO_LARGE" && !req.complete) cutOffRequest(res);
    res.status(appError.status).json({
      error: { code: appError.code, message: appError.message, details: appError.details ?? {} },
    });
  };
}

export function notFoundRoute(_req: Request, res: Response): void {
  res.status(404).json({ error: { code: "NOT_FOUND", message: "No such endpoint", details: {} } });
}

/** express.json's own errors (bad JSON, body too large) are the client's fault. */
function fromBodyParser(error: unknown): AppError | undefined {
  const type = (error as { type?: string }).type;
  if (type === "entity.parse.failed") return validationFailed({ body: "is not valid JSON" });
  if (type === "entity.too.large") return validationFailed({ body: "is too large" });
  return undefined;
}
