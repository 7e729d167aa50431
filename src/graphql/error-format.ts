import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";
import { ArgumentValidationError } from "type-graphql";
import { AppError, ERROR_STATUS, RETRY_AFTER_SECONDS, toAppError, type ErrorCode } from "../errors";

/** Codes GraphQL and Apollo give to a request that is wrong before any resolver runs: the client's. */
const REQUEST_ERROR_CODES = new Set([
  "GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT", "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND", "PERSISTED_QUERY_NOT_SUPPORTED", "OPERATION_RESOLUTION_FAILURE",
]);

/** graphql-js's parser refusing a document over `maxTokens`. */
const TOO_MANY_TOKENS = /Document contains more than? \d+ tokens|Document contains more that \d+ tokens/;

/**
 * The one mapping from thrown errors to GraphQL errors: AppErrors keep their code and details,
 * argument validation becomes VALIDATION_FAILED naming the fields, a request GraphQL itself
 * refused keeps GraphQL's code (a token bomb is QUERY_TOO_COMPLEX, anything else it raises before
 * execution is BAD_REQUEST), and the rest goes through `toAppError` (a database that is down is
 * SERVICE_UNAVAILABLE; a bug is logged and answered as INTERNAL). No stack trace, path or SQL is
 * ever sent, in any environment.
 */
export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const { code, message, details } = classify(formatted, error, log);
    return {
      message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code, ...(details ? { details } : {}) },
    };
  };
}

function classify(formatted: GraphQLFormattedError, error: unknown, log: Logger): { code: string; message: string; details?: Record<string, unknown> } {
  const original = unwrapResolverError(error);
  if (original instanceof ArgumentValidationError) {
    const fields = Object.fromEntries(
      original.extensions.validationErrors.map((v) => [v.property, Object.values(v.constraints ?? {}).join("; ")]),
    );
    return { code: "VALIDATION_FAILED", message: `Invalid ${Object.keys(fields).join(", ")}`, details: { fields } };
  }
  const code = formatted.extensions?.code;
  if (!(original instanceof AppError) && typeof code === "string") {
    if (code === "GRAPHQL_PARSE_FAILED" && TOO_MANY_TOKENS.test(formatted.message)) {
      return { code: "QUERY_TOO_COMPLEX", message: "Query too complex: it has too many tokens" };
    }
    if (REQUEST_ERROR_CODES.has(code)) return { code, message: formatted.message };
    if (code in ERROR_STATUS && code !== "INTERNAL") {
      const details = formatted.extensions?.details as Record<string, unknown> | undefined;
      return { code, message: formatted.message, details };
    }
    // Raised by GraphQL or Apollo about the request itself (not from a resolver): the client's mistake.
    if (original instanceof GraphQLError && !original.originalError && !formatted.path && code === "INTERNAL_SERVER_ERROR") {
      return { code: "BAD_REQUEST", message: formatted.message };
    }
  }
  const appError = toAppError(original);
  if (appError.code === "INTERNAL") log.error({ err: original }, "unexpected GraphQL error");
  if (appError.code === "SERVICE_UNAVAILABLE") log.warn({ err: appError.cause ?? original }, "a dependency is unavailable");
  return { code: appError.code, message: appError.message, details: appError.details };
}

/** Codes that decide the HTTP status even when part of the query succeeded. */
const STATUS_WINS: ReadonlySet<string> = new Set(["UNAUTHENTICATED", "SERVICE_UNAVAILABLE", "INSUFFICIENT_STORAGE"]);

/**
 * Gives a GraphQL response the HTTP status its errors call for. A request refused as a whole
 * answers the status of its code (400 for a bad variable or too complex a query); a missing or bad
 * token is always 401, an unavailable database 503 with Retry-After, a full disk 507. An upload
 * refused for size is answered with `Connection: close`, so the rest of its body is never read
 * (see http/unread-bodies.ts).
 */
export const httpStatusFromErrors: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        if (response.body.kind !== "single") return;
        const { data, errors } = response.body.singleResult;
        const codes = (errors ?? []).map((e) => String(e.extensions?.code ?? "")).filter((c): c is ErrorCode => c in ERROR_STATUS);
        if (codes.length === 0) return;
        const deciding = codes.find((c) => STATUS_WINS.has(c)) ?? (data == null ? codes[0] : undefined);
        if (deciding) response.http.status = ERROR_STATUS[deciding];
        if (deciding === "SERVICE_UNAVAILABLE") response.http.headers.set("retry-after", String(RETRY_AFTER_SECONDS));
        if (codes.includes("FILE_TOO_LARGE")) response.http.headers.set("connection", "close");
      },
    };
  },
};
