import type { Server } from "node:http";
import { GraphQLError, getOperationAST, parse, validate, type GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import { AssetLoaders } from "../assets/asset-loaders";
import { authenticate } from "../auth/tokens";
import type { Services } from "../services";
import type { GraphQLContext } from "./context";
import { createErrorFormatter } from "./error-format";
import { queryLimitChecker } from "./query-limits";

/** Subscriptions one socket may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 20;
/** A connection_init larger than this is not a token. */
const MAX_MESSAGE_BYTES = 64 * 1024;

interface SocketState {
  userId?: string;
  subscriptions: number;
}

/**
 * GraphQL subscriptions over WebSocket (graphql-ws's graphql-transport-ws protocol), on the HTTP
 * server's own port and path. The bearer token comes in connection_init's payload (as
 * `Authorization`, or `headers.Authorization`); a socket with a bad one is closed with 4403
 * Forbidden at once, and one that sent none is closed so at its first subscription unless that
 * carries the token in `extensions.headers` (GraphiQL's way). Only subscriptions travel here (queries and mutations use HTTP),
 * under the same depth, alias and cost limits, and errors are formatted as on HTTP.
 */
export function serveSubscriptions(server: Server, schema: GraphQLSchema, services: Services, log: Logger): { close(): Promise<void> } {
  const wss = new WebSocketServer({ server, path: "/graphql", maxPayload: MAX_MESSAGE_BYTES });
  const checkLimits = queryLimitChecker(services.config.graphqlLimits);
  const formatError = createErrorFormatter(log);
  const refuse = (message: string, code: string) => [new GraphQLError(message, { extensions: { code } })];
  const disposable = useServer<Record<string, unknown>, { state: SocketState }>(
    {
      schema,
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        const token = tokenFrom(ctx.connectionParams);
        const state: SocketState = { subscriptions: 0 };
        (ctx.extra as { state?: SocketState }).state = state;
        if (token === undefined) return true;
        state.userId = await authenticate(services.authenticator, token).catch(() => undefined);
        return state.userId !== undefined;
      },
      onSubscribe: async (ctx, _id, payload) => {
        const state = ctx.extra.state!;
        // GraphiQL sends its headers with each operation, not in connection_init: such a socket's
        // first subscription carries the token, and without a valid one the socket is closed 4403.
        if (!state.userId) {
          const token = tokenFrom(payload.extensions as Record<string, unknown> | undefined);
          state.userId = token === undefined ? undefined : await authenticate(services.authenticator, token).catch(() => undefined);
          if (!state.userId) {
            ctx.extra.socket.close(4403, "Forbidden");
            return refuse("A valid bearer token is required", "UNAUTHENTICATED");
          }
        }
        let document;
        try {
          document = parse(payload.query, { maxTokens: services.config.graphqlLimits.maxTokens });
        } catch (error) {
          return refuse((error as Error).message, "GRAPHQL_PARSE_FAILED");
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }));
        const operation = getOperationAST(document, payload.operationName ?? undefined);
        if (!operation) return refuse("The document names no operation to run", "BAD_REQUEST");
        if (operation.operation !== "subscription") return refuse("Only subscriptions travel over this WebSocket; send queries and mutations by HTTP", "BAD_REQUEST");
        try {
          checkLimits({ schema, document, operation, operationName: payload.operationName ?? undefined, variables: payload.variables ?? {} });
        } catch (error) {
          return [error as GraphQLError];
        }
        if (state.subscriptions >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
          return refuse(`A socket may hold at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} subscriptions`, "BAD_REQUEST");
        }
        state.subscriptions += 1;
        const contextValue: GraphQLContext = { userId: state.userId, loaders: new AssetLoaders(services.db, state.userId!), services };
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
      },
      onComplete: (ctx) => {
        const state = ctx.extra.state;
        if (state) state.subscriptions = Math.max(0, state.subscriptions - 1);
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return;
        return { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e.toJSON(), e)),
    },
    wss,
  );
  wss.on("error", (error) => log.warn({ err: error }, "subscription socket server error"));
  return {
    async close() {
      for (const socket of wss.clients) socket.close(1001, "server shutting down");
      await disposable.dispose();
    },
  };
}

function tokenFrom(params: Record<string, unknown> | undefined): string | undefined {
  if (!params) return undefined;
  const direct = params.Authorization ?? params.authorization;
  if (typeof direct === "string") return direct;
  const headers = params.headers as Record<string, unknown> | undefined;
  const nested = headers?.Authorization ?? headers?.authorization;
  return typeof nested === "string" ? nested : undefined;
}
