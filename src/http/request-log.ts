import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";

/** A request id a client or proxy may pass in: short and plain, or one of ours is made. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * One log line per request (method, path, status, time, `req_id`) from pino-http, and a request
 * id: taken from `X-Request-Id` when it is plain, else made; echoed in the response's
 * `X-Request-Id`; `req.id` for handlers that pass it on (an upload's outcome line carries it).
 * Passed explicitly rather than through AsyncLocalStorage, whose promise hooks cost every
 * request several percent on Node 20.
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
    customProps: (req) => ({ req_id: req.id }),
    // Probes every few seconds would drown the log.
    autoLogging: { ignore: (req) => req.url === "/healthz" || req.url === "/readyz" },
    serializers: {
      req: (req) => ({ method: req.method, url: req.url }),
      res: (res) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : "info"),
  });
  return (req: Request, res: Response, next: NextFunction): void => {
    http(req, res);
    next();
  };
}
