/**
 * Typed errors. Every failure a client can see is one of these; `errorStatus` and the GraphQL
 * formatter map them once to HTTP statuses and `extensions.code` (see docs/errors.md).
 */
export const ERROR_STATUS = {
  UNAUTHENTICATED: 401,
  NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
  FILE_TOO_LARGE: 413,
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
  INTERNAL: 500,
} as const;

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

/** The error a client sees for anything unexpected: no internals leak. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  return new AppError("INTERNAL", "Internal server error");
}
