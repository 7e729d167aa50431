import http from "node:http";
import type { Express, NextFunction, Request, Response } from "express";
import type { Config } from "../config";

/**
 * The HTTP server with every wait bounded, so a slow or lying client holds a connection for
 * seconds, not forever: headers must arrive within `headersTimeoutMs` and a whole request may take
 * `requestTimeoutMs` (a 200 MB upload at a few Mbit/s); Node checks these every second. A body
 * that goes quiet is bounded by `idleBodyTimeout` below.
 */
export async function listen(app: Express, config: Pick<Config, "host" | "port" | "http">): Promise<http.Server> {
  const server = http.createServer(
    {
      headersTimeout: config.http.headersTimeoutMs,
      requestTimeout: config.http.requestTimeoutMs,
      connectionsCheckingInterval: 1000,
    },
    app,
  );
  server.keepAliveTimeout = 5000;
  server.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => server.once("listening", resolve).once("error", reject));
  return server;
}

/**
 * A request body may go quiet for at most `ms` before its connection is dropped (a slowloris
 * body, or a Content-Length that promises more than is sent). Only while the body is arriving:
 * a request whose body is in may take as long as its work takes.
 */
export function idleBodyTimeout(ms: number) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!req.complete) {
      req.socket.setTimeout(ms);
      req.once("end", () => req.socket.setTimeout(0));
    }
    next();
  };
}
