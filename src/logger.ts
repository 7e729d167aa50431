import pino, { type DestinationStream, type Logger } from "pino";
import type { Config } from "./config";
import { currentRequestId } from "./http/request-log";

/** The service's logger: JSON lines, each made while serving a request carrying its `req_id`. */
export function createLogger(config: Pick<Config, "logLevel">, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: undefined,
    mixin: () => {
      const id = currentRequestId();
      return id ? { req_id: id } : {};
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
