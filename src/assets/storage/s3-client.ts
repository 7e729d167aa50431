import { S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import type { S3Config } from "../../config";
import { AppError, RETRY_AFTER_SECONDS } from "../../errors";

export function createS3Client(config: S3Config): S3Client {
  return new S3Client({
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    // We send our own SHA-256 with every write (the store verifies it). The SDK's default adds a
    // streamed CRC trailer, which some S3-compatible stores store as part of the object.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    maxAttempts: 3,
  });
}

/** A key the store does not hold (read as ENOENT, like the local driver's missing file). */
export class StoredFileMissing extends Error {
  readonly code = "ENOENT";
  constructor() {
    super("The stored file is missing");
  }
}

/** An S3 failure as this service reports it: missing, unavailable, or as it came. */
export function classifyStoreError(error: unknown): Error {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  const name = (error as { name?: string }).name;
  if (status === 404 || name === "NoSuchKey" || name === "NotFound") return new StoredFileMissing();
  // A store that answers with its own failure, throttles, or cannot be reached at all.
  const unavailable = (status !== undefined && (status >= 500 || status === 429)) || !(error instanceof S3ServiceException);
  if (unavailable) {
    // The cause (a refused connection, missing credentials, the store's own 5xx) goes to the log only.
    const unavailableError = new AppError("SERVICE_UNAVAILABLE", "The storage is not available right now; try again shortly", { retry_after_seconds: RETRY_AFTER_SECONDS });
    unavailableError.cause = error;
    return unavailableError;
  }
  return error instanceof Error ? error : new Error(String(error));
}
