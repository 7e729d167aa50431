import dotenv from "dotenv";
import path from "node:path";

/**
 * Every environment variable the service reads, parsed and defaulted here and nowhere else.
 * `loadConfig` fails fast with one message listing every bad variable.
 */
export interface Config {
  env: "development" | "production" | "test";
  host: string;
  port: number;
  /** Base URL clients use to reach this server; used to build asset URLs. */
  publicUrl: string;
  /** When unset, an embedded PostgreSQL is started under `dataDir/postgres`. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Bounds on waits for the database (pool, statement, lock); past them a request answers 503. */
  databaseTimeouts: { connectMs: number; queryMs: number; lockMs: number };
  /** Local disk: stored files (unless S3 holds them) and, always, the staging directory. */
  storageDir: string;
  /** Where stored files live: the local disk, or an S3-compatible bucket (credentials: the AWS SDK's default chain). */
  s3: S3Config | undefined;
  /** HS256 secret; when unset one is generated and kept in `dataDir`. */
  authSecret: string | undefined;
  authJwksUrl: string | undefined;
  maxImagePixels: number;
  ffmpegPath: string | undefined;
  ffprobePath: string | undefined;
  mediaToolTimeoutMs: number;
  clamd: { host: string; port: number } | undefined;
  logLevel: string;
  /** Derivative workers inside the API process; 0 leaves the work to `npm run worker`. */
  workerConcurrency: number;
  /** A job still active after this long is taken to have lost its worker and is retried. */
  jobTimeoutSeconds: number;
  jobRetryLimit: number;
  queueMaintenanceSeconds: number;
  /** Wall-clock limit for each tool run while making derivatives (encoding takes longer than probing). */
  derivativeTimeoutMs: number;
  /** How often workers look for processing assets whose job was lost. */
  reconcileIntervalSeconds: number;
  /** How often stored files are compared with rows, and how old a file no row names must be before it goes. */
  storageReconcile: { intervalSeconds: number; graceSeconds: number };
  /** Soft-deleted assets are purged (rows and files) this many days after deletion. */
  purgeRetentionDays: number;
  /** Bounds on slow clients: headers, silence mid-request, and a whole request. */
  http: { headersTimeoutMs: number; idleTimeoutMs: number; requestTimeoutMs: number };
  graphqlLimits: { maxDepth: number; maxAliases: number; maxCost: number; maxTokens: number };
  signedUrls: { maxSeconds: number; downloadSeconds: number; thumbnailSeconds: number };
  /** Transforms (`/render`): largest output side and pixel count, renders at once per process, and how many may wait. */
  renders: { maxSide: number; maxPixels: number; concurrency: number; queue: number };
  /** The bearer token that opens GET /metrics; unset: no metrics route. */
  metricsToken: string | undefined;
  /** Where `npm run worker` serves its /metrics (with METRICS_TOKEN); unset: it serves nothing. */
  metricsPort: number | undefined;
  /** Origins browsers may call the API from (CORS); empty: same-origin only. ["*"]: any. */
  corsOrigins: string[];
  /** Resumable (tus) uploads: an unfinished one is removed this long after it began; a finished one's outcome is kept this long. */
  resumableUploads: { expirySeconds: number; sweepIntervalSeconds: number };
  /** The audit trail keeps each entry this many days. */
  activityRetentionDays: number;
  webhooks: WebhookConfig;
}
// Webhooks: private targets allowed (tests only), attempts, first retry delay (doubling), timeout, concurrency.
export interface WebhookConfig {
  allowPrivate: boolean;
  maxAttempts: number;
  retryDelaySeconds: number;
  timeoutMs: number;
  /** An endpoint is disabled after this many deliveries in a row failed every attempt. */
  disableAfterFailures: number;
  concurrency: number;
}

export interface S3Config {
  /** Unset: AWS's own endpoint for the region. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  /** Prepended to every key ("" or ending in "/"). */
  prefix: string;
  forcePathStyle: boolean;
  /** Signed-URL routes answer 302 to a presigned GET instead of streaming through the API. */
  downloadRedirect: boolean;
}

type Env = Record<string, string | undefined>;

/**
 * The running process's configuration: its environment, completed by a `.env` file in the working
 * directory (or the file ENV_FILE names) for the variables the environment does not set.
 */
export function loadProcessConfig(): Config {
  const file = process.env.ENV_FILE ?? ".env";
  const loaded = dotenv.config({ path: file, quiet: true });
  if (loaded.error && process.env.ENV_FILE) throw new Error(`Invalid configuration:\n  - ENV_FILE names ${file}, which cannot be read`);
  return loadConfig(process.env);
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const str = (name: string): string | undefined => (env[name] === undefined || env[name] === "" ? undefined : env[name]);
  const url = (name: string): string | undefined => {
    const raw = str(name);
    if (raw === undefined) return undefined;
    try {
      new URL(raw);
    } catch {
      problems.push(`${name} must be a URL (got "${raw}")`);
    }
    return raw;
  };

  const nodeEnv = str("NODE_ENV") ?? "development";
  if (!["development", "production", "test"].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnv}")`);
  }
  const host = str("HOST") ?? "127.0.0.1";
  const port = int("PORT", 4000, 0, 65535);
  const dataDir = path.resolve(str("DATA_DIR") ?? "data");
  const clamdHost = str("CLAMD_HOST");
  const bool = (name: string): boolean => {
    const raw = str(name);
    if (raw === undefined) return false;
    if (!["true", "false", "1", "0"].includes(raw)) problems.push(`${name} must be true or false (got "${raw}")`);
    return raw === "true" || raw === "1";
  };
  const storageDriver = str("STORAGE_DRIVER") ?? "local";
  if (!["local", "s3"].includes(storageDriver)) problems.push(`STORAGE_DRIVER must be local or s3 (got "${storageDriver}")`);
  let s3: S3Config | undefined;
  if (storageDriver === "s3") {
    const bucket = str("S3_BUCKET");
    if (!bucket) problems.push("S3_BUCKET must be set when STORAGE_DRIVER=s3");
    const prefix = str("S3_PREFIX") ?? "";
    s3 = {
      endpoint: url("S3_ENDPOINT"),
      region: str("S3_REGION") ?? str("AWS_REGION") ?? "us-east-1",
      bucket: bucket ?? "",
      prefix: prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`,
      forcePathStyle: bool("S3_FORCE_PATH_STYLE"),
      downloadRedirect: bool("S3_DOWNLOAD_REDIRECT"),
    };
  }
  const authSecret = str("AUTH_SECRET");
  if (authSecret !== undefined && Buffer.byteLength(authSecret) < 32) {
    problems.push("AUTH_SECRET must be at least 32 bytes long");
  }

  const config: Config = {
    env: nodeEnv as Config["env"],
    host,
    port,
    publicUrl: (url("PUBLIC_URL") ?? `http://${host.includes(":") ? `[${host}]` : host}:${port}`).replace(/\/+$/, ""),
    databaseUrl: url("DATABASE_URL"),
    dataDir,
    databaseTimeouts: {
      connectMs: int("DB_CONNECT_TIMEOUT_MS", 3000, 100, 600_000),
      queryMs: int("DB_QUERY_TIMEOUT_MS", 5000, 100, 3_600_000),
      lockMs: int("DB_LOCK_TIMEOUT_MS", 3000, 10, 600_000),
    },
    storageDir: path.resolve(str("STORAGE_DIR") ?? path.join(dataDir, "storage")),
    s3,
    authSecret,
    authJwksUrl: url("AUTH_JWKS_URL"),
    maxImagePixels: int("MAX_IMAGE_PIXELS", 100_000_000, 1, 2 ** 31 - 1),
    ffmpegPath: str("FFMPEG_PATH"),
    ffprobePath: str("FFPROBE_PATH"),
    mediaToolTimeoutMs: int("MEDIA_TOOL_TIMEOUT_MS", 30_000, 100, 3_600_000),
    clamd: clamdHost ? { host: clamdHost, port: int("CLAMD_PORT", 3310, 1, 65535) } : undefined,
    logLevel: str("LOG_LEVEL") ?? (nodeEnv === "test" ? "silent" : "info"),
    workerConcurrency: int("WORKER_CONCURRENCY", 2, 0, 64),
    jobTimeoutSeconds: int("JOB_TIMEOUT_SECONDS", 900, 5, 86_400),
    jobRetryLimit: int("JOB_RETRY_LIMIT", 3, 0, 20),
    queueMaintenanceSeconds: int("QUEUE_MAINTENANCE_SECONDS", 30, 1, 3600),
    derivativeTimeoutMs: int("DERIVATIVE_TIMEOUT_MS", 120_000, 1000, 3_600_000),
    reconcileIntervalSeconds: int("RECONCILE_INTERVAL_SECONDS", 30, 1, 86_400),
    storageReconcile: {
      intervalSeconds: int("STORAGE_RECONCILE_INTERVAL_SECONDS", 3600, 1, 7 * 86_400),
      graceSeconds: int("ORPHAN_GRACE_SECONDS", 3600, 0, 30 * 86_400),
    },
    purgeRetentionDays: int("PURGE_RETENTION_DAYS", 30, 0, 3650),
    http: {
      headersTimeoutMs: int("HTTP_HEADERS_TIMEOUT_MS", 10_000, 100, 600_000),
      idleTimeoutMs: int("HTTP_IDLE_TIMEOUT_MS", 30_000, 100, 3_600_000),
      requestTimeoutMs: int("HTTP_REQUEST_TIMEOUT_MS", 900_000, 1000, 86_400_000),
    },
    graphqlLimits: {
      maxDepth: int("GRAPHQL_MAX_DEPTH", 10, 2, 100),
      maxAliases: int("GRAPHQL_MAX_ALIASES", 20, 0, 1000),
      maxCost: int("GRAPHQL_MAX_COST", 50_000, 100, 10_000_000),
      maxTokens: int("GRAPHQL_MAX_TOKENS", 10_000, 500, 1_000_000),
    },
    signedUrls: {
      maxSeconds: int("SIGNED_URL_MAX_SECONDS", 7 * 86_400, 60, 365 * 86_400),
      downloadSeconds: int("DOWNLOAD_URL_SECONDS", 900, 10, 365 * 86_400),
      thumbnailSeconds: int("THUMBNAIL_URL_SECONDS", 7 * 86_400, 60, 365 * 86_400),
    },
    renders: { maxSide: int("RENDER_MAX_SIDE", 4096, 16, 16_384), maxPixels: int("RENDER_MAX_PIXELS", 16_777_216, 256, 268_435_456), concurrency: int("RENDER_CONCURRENCY", 2, 1, 64), queue: int("RENDER_QUEUE", 64, 0, 10_000) },
    corsOrigins: origins(str("CORS_ORIGINS")),
    metricsToken: str("METRICS_TOKEN"),
    metricsPort: str("METRICS_PORT") === undefined ? undefined : int("METRICS_PORT", 0, 1, 65535),
    resumableUploads: { expirySeconds: int("RESUMABLE_UPLOAD_EXPIRY_SECONDS", 86_400, 1, 30 * 86_400), sweepIntervalSeconds: int("RESUMABLE_UPLOAD_SWEEP_SECONDS", 600, 1, 86_400) },
    activityRetentionDays: int("ACTIVITY_RETENTION_DAYS", 365, 1, 36_500),
    webhooks: {
      allowPrivate: bool("WEBHOOK_ALLOW_PRIVATE"),
      maxAttempts: int("WEBHOOK_MAX_ATTEMPTS", 8, 1, 20),
      retryDelaySeconds: int("WEBHOOK_RETRY_DELAY_SECONDS", 10, 1, 3600),
      timeoutMs: int("WEBHOOK_TIMEOUT_MS", 5_000, 100, 60_000),
      disableAfterFailures: int("WEBHOOK_DISABLE_AFTER_FAILURES", 5, 1, 1000),
      concurrency: int("WEBHOOK_CONCURRENCY", 4, 1, 64),
    },
  };

  function origins(raw: string | undefined): string[] {
    if (!raw) return [];
    const list = raw.split(",").map((o) => o.trim()).filter(Boolean);
    if (list.includes("*")) return ["*"];
    for (const origin of list) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      if (!parsed || !["http:", "https:"].includes(parsed.protocol) || parsed.origin !== origin.replace(/\/+$/, "")) {
        problems.push(`CORS_ORIGINS must list origins like https://app.example.com (scheme, host and port only) or *; got "${origin}"`);
      }
    }
    return list.map((o) => o.replace(/\/+$/, ""));
  }

  if (problems.length > 0) {
    throw new Error(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
  }
  return config;
}
