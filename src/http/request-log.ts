import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";

const requestIds = new AsyncLocalStorage<string>();

/** A request id a client or proxy may pass in: short and plain, or one of ours is made. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** The id of the request this code runs for, if any: every log line made while serving it carries it. */
export function currentRequestId(): string | undefined {
  return requestIds.getStore();
}

/**
 * One log line per request (method, path, status, time) from pino-http, and a request id: taken
 * from `X-Request-Id` when it is plain, else made; echoed in the response's `X-Request-Id`; and
 * kept for the request's whole async life so service log lines (an upload's outcome) carry it.
 */
export function requestLogging(log: Logger) {
  const http = pinoHttp({
    logger: log,
    genReqId: (req, res) => {
      const offered = req.headers["x-request-id"];
      const id = typeof offered === "string" && CLIENT_REQUEST_ID.test(offered) ? offered : randomUUID();
      res.setHeader("X-Request-Id", id);
      return id;
    },
    // The id goes on every line as req_id through the logger's mixin (see logger.ts), this one included.
    serializers: {
      req: (req) => ({ method: req.method, url: req.url }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : "info"),
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    http(req, res);
    requestIds.run(String(req.id), next);
  };
}
