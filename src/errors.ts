/**
 * Typed errors. Every failure a client can see is one of these; `errorStatus` and the GraphQL
 * formatter map them once to HTTP statuses and `extensions.code` (see docs/errors.md).
 */
export const ERROR_STATUS = {
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
  FILE_TOO_LARGE: 413,
  RENDER_TOO_LARGE: 413,
  INVALID_FILE_TYPE: 415,
  MIME_MISMATCH: 415,
  INCOMPLETE_UPLOAD: 422,
  SECURITY_VIOLATION: 422,
  DUPLICATE_ASSET: 409,
  NAME_CONFLICT: 409,
  FOLDER_DEPTH_EXCEEDED: 422,
  FOLDER_NOT_EMPTY: 409,
  ASSET_IN_USE: 409,
  CONFLICT: 409,
  URL_EXPIRED: 403,
  INVALID_SIGNATURE: 403,
  QUERY_TOO_COMPLEX: 400,
  BAD_USER_INPUT: 400,
  BAD_REQUEST: 400,
  METHOD_NOT_ALLOWED: 405,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
  INSUFFICIENT_STORAGE: 507,
} as const;

/** Seconds a client is told to wait (Retry-After) before trying again after SERVICE_UNAVAILABLE. */
export const RETRY_AFTER_SECONDS = 5;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = code;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export const unauthenticated = (message = "A valid bearer token is required") =>
  new AppError("UNAUTHENTICATED", message);

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);

export const validationFailed = (fields: Record<string, string>) =>
  new AppError(
    "VALIDATION_FAILED",
    `Invalid ${Object.keys(fields).join(", ")}: ${Object.values(fields).join("; ")}`,
    { fields },
  );

/**
 * The error a client sees for anything thrown: AppErrors as they are, a full disk as
 * INSUFFICIENT_STORAGE, a database or disk that is down or not answering as SERVICE_UNAVAILABLE
 * (the client may retry), anything else as INTERNAL. No internals leak.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isOutOfSpace(error)) return new AppError("INSUFFICIENT_STORAGE", "The server has no room to store this file now; try again later");
  const unavailable = unavailableCause(error);
  if (unavailable) {
    return new AppError("SERVICE_UNAVAILABLE", `The ${unavailable} is not available right now; try again shortly`, {
      retry_after_seconds: RETRY_AFTER_SECONDS,
    });
  }
  return new AppError("INTERNAL", "Internal server error");
}

function isOutOfSpace(error: unknown): boolean {
  const code = errnoCode(error);
  return code === "ENOSPC" || code === "EDQUOT";
}

/** SQLSTATEs of a database that is down, restarting, overloaded, or gave up waiting (timeouts). */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300|57014|55P03|40P01|40001)$/;
const UNAVAILABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|connection error|Connection is not established|the database system is (starting up|shutting down)/i;
const UNAVAILABLE_ERRNO = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTCONN"]);
const STORAGE_ERRNO = new Set(["EIO", "EROFS", "EMFILE", "ENFILE"]);

/** "database" or "storage" when `error` says one of them is unavailable, not that the request is wrong. */
function unavailableCause(error: unknown): "database" | "storage" | undefined {
  const driverError = (error as { driverError?: unknown } | undefined)?.driverError ?? error;
  const sqlState = (driverError as { code?: unknown } | undefined)?.code;
  if (typeof sqlState === "string" && UNAVAILABLE_SQLSTATE.test(sqlState)) return "database";
  const errno = errnoCode(driverError);
  if (errno && UNAVAILABLE_ERRNO.has(errno)) return "database";
  if (errno && STORAGE_ERRNO.has(errno)) return "storage";
  if (driverError instanceof Error && UNAVAILABLE_MESSAGE.test(driverError.message)) return "database";
  return undefined;
}

function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && /^E[A-Z]+$/.test(code) ? code : undefined;
}
