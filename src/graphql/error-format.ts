import type { ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import type { Logger } from "pino";
import { ArgumentValidationError } from "type-graphql";
import { AppError } from "../errors";

/**
 * The one mapping from thrown errors to GraphQL errors: AppErrors keep their code and details,
 * argument validation becomes VALIDATION_FAILED naming the fields, GraphQL's own request errors
 * pass through, and anything else is logged and answered as INTERNAL without internals.
 */
export function createErrorFormatter(log: Logger, exposeStack: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof AppError) {
      return {
        message: original.message,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: original.code, ...(original.details ? { details: original.details } : {}) },
      };
    }
    if (original instanceof ArgumentValidationError) {
      const fields = Object.fromEntries(
        original.extensions.validationErrors.map((v) => [v.property, Object.values(v.constraints ?? {}).join("; ")]),
      );
      return {
        message: `Invalid ${Object.keys(fields).join(", ")}`,
        path: formatted.path,
        locations: formatted.locations,
        extensions: { code: "VALIDATION_FAILED", details: { fields } },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && code !== "INTERNAL_SERVER_ERROR") return formatted;
    log.error({ err: original }, "unexpected GraphQL error");
    return {
      message: "Internal server error",
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: "INTERNAL", ...(exposeStack && original instanceof Error ? { stacktrace: original.stack?.split("\n") } : {}) },
    };
  };
}

/**
 * An upload refused for size is answered with `Connection: close`, so the rest of its body is
 * never read (see http/unread-bodies.ts).
 */
export const cutOffOversizedUploads: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, errors }) {
        if (errors?.some((e) => unwrapResolverError(e) instanceof AppError && (unwrapResolverError(e) as AppError).code === "FILE_TOO_LARGE")) {
          response.http.headers.set("connection", "close");
        }
      },
    };
  },
};
