import pino, { type DestinationStream, type Logger } from "pino";
import type { Config } from "./config";

/** The service's logger: JSON lines (pino). */
export function createLogger(config: Pick<Config, "logLevel">, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = { level: config.logLevel, base: undefined };
  return destination ? pino(options, destination) : pino(options);
}
