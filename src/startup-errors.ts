import type { Config } from "./config";

/** A start-up failure whose message already says what is wrong and how to fix it, in one line. */
export class StartupError extends Error {}

/**
 * One line for a start-up failure a user can fix (a busy port, a data directory PostgreSQL cannot
 * use, a database that refuses us), instead of a stack trace; undefined for anything else.
 */
export function explainStartupFailure(error: unknown, config: Pick<Config, "host" | "port" | "databaseUrl"> | undefined): string | undefined {
  if (error instanceof StartupError) return error.message;
  const { code, message = "" } = (error ?? {}) as { code?: string; message?: string };
  if (message.startsWith("Invalid configuration")) return message;
  if (code === "EADDRINUSE" && config) return `Port ${config.port} on ${config.host} is already in use: stop what listens there, or set PORT to a free port.`;
  if (code === "EACCES" && config && /listen/.test(message)) return `Not allowed to listen on port ${config.port}: use a port above 1023 (PORT), or run with the privilege to bind it.`;
  if (code === "ECONNREFUSED" && config?.databaseUrl) return `Nothing answers at DATABASE_URL (${redact(config.databaseUrl)}): start PostgreSQL there, or unset DATABASE_URL to use the embedded one.`;
  if (code === "28P01" || code === "28000") return `PostgreSQL refused the credentials in DATABASE_URL (${redact(config?.databaseUrl ?? "")}): fix the user or password.`;
  if (code === "3D000") return `The database named in DATABASE_URL does not exist: create it (createdb), or point DATABASE_URL at one that does.`;
  return undefined;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}
