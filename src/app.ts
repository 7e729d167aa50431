import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import type { Server } from "node:http";
import express, { json, type Express } from "express";
import { GraphQLError } from "graphql";
import { graphqlUploadExpress } from "graphql-upload-minimal";
import type { Logger } from "pino";
import { AssetLoaders } from "./assets/asset-loaders";
import { MAX_UPLOAD_BYTES } from "./assets/asset-types";
import { authenticate } from "./auth/tokens";
import { AppError } from "./errors";
import type { GraphQLContext } from "./graphql/context";
import { createErrorFormatter, httpStatusFromErrors } from "./graphql/error-format";
import { queryLimits } from "./graphql/query-limits";
import { buildGraphQLSchema } from "./graphql/schema";
import { serveSubscriptions } from "./graphql/subscription-server";
import { activityRoutes } from "./rest/activity.routes";
import { webhookRoutes } from "./rest/webhook.routes";
import { refuseOversizedRequests, settleUnreadBodies } from "./http/unread-bodies";
import { idleBodyTimeout } from "./http/server";
import { compiledExecution } from "./graphql/compiled-executor";
import { graphiqlPage } from "./http/graphiql";
import { allowedMethods } from "./http/allowed-methods";
import { corsFor } from "./http/cors";
import { metricsRoute, requestMetrics } from "./http/metrics";
import { healthRoutes } from "./http/health";
import { requestLogging } from "./http/request-log";
import { assetRoutes } from "./rest/asset.routes";
import { folderRoutes } from "./rest/folder.routes";
import { tagRoutes } from "./rest/tag.routes";
import { publicRoutes } from "./rest/public.routes";
import { renderRoutes, signedRenderRoutes } from "./rest/render.routes";
import { referenceRoutes } from "./rest/reference.routes";
import { versionRoutes } from "./rest/version.routes";
import { createTusServer, resumableUploadDiscovery, resumableUploadRoutes } from "./rest/upload.routes";
import { notFoundRoute, restErrorHandler } from "./rest/errors";
import { requireUser } from "./rest/request-context";
import type { Services } from "./services";

/** Selections a document may expand to, fragments multiplied out (Apollo counts them in validation). */
const RECURSIVE_SELECTIONS_LIMIT = 100_000;

export interface HttpApp {
  app: Express;
  /** Serves GraphQL subscriptions (WebSocket) on the server that listens for `app`. */
  serveSubscriptions(server: Server): void;
  stop(): Promise<void>;
}

/** Builds the express app (GraphQL, GraphiQL, /v1) without listening, so tests can mount it. */
export async function createHttpApp(services: Services, log: Logger, options: { graphiqlHeaders?: Record<string, string> } = {}): Promise<HttpApp> {
  const schema = await buildGraphQLSchema();
  const apollo = new ApolloServer<GraphQLContext>({
    gateway: compiledExecution(schema),
    csrfPrevention: true,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // Token and selection bombs are refused by the parser and validator before any other work.
    parseOptions: { maxTokens: services.config.graphqlLimits.maxTokens },
    maxRecursiveSelections: RECURSIVE_SELECTIONS_LIMIT,
    formatError: createErrorFormatter(log),
    // Cache-control hints are unused here, and the plugin wraps every field's resolver to collect them.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), httpStatusFromErrors, queryLimits(services.config.graphqlLimits)],
  });
  await apollo.start();

  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(requestLogging(log), requestMetrics, corsFor(services.config.corsOrigins), settleUnreadBodies, refuseOversizedRequests, idleBodyTimeout(services.config.http.idleTimeoutMs));

  app.use(healthRoutes(services), metricsRoute(services.config.metricsToken));

  const graphiql = graphiqlPage({ defaultHeaders: options.graphiqlHeaders });
  app.get("/graphiql", (_req, res) => {
    res.type("html").send(graphiql);
  });

  app.use(
    "/graphql",
    graphqlUploadExpress({ maxFileSize: MAX_UPLOAD_BYTES + 1, maxFiles: 1, maxFieldSize: 1024 * 1024 }),
    json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({ ...(await graphqlContext(services, req.headers.authorization)), requestId: String(req.id) }),
    }),
  );

  const tus = createTusServer(services, services.uploadLocks, log);
  const open = [publicRoutes(services), signedRenderRoutes(services), resumableUploadDiscovery(tus)];
  const guarded = [activityRoutes(services), webhookRoutes(services), folderRoutes(services), tagRoutes(services), versionRoutes(services), referenceRoutes(services), renderRoutes(services), assetRoutes(services), resumableUploadRoutes(services, tus)];
  app.use("/v1", allowedMethods([...open, ...guarded]), ...open, requireUser(services), ...guarded);
  app.use(notFoundRoute);
  app.use(restErrorHandler(log));

  let subscriptions: { close(): Promise<void> } | undefined;
  return {
    app,
    serveSubscriptions(server) {
      subscriptions = serveSubscriptions(server, schema, services, log);
    },
    async stop() {
      await subscriptions?.close();
      await apollo.stop();
    },
  };
}

async function graphqlContext(services: Services, authorization: string | undefined): Promise<GraphQLContext> {
  if (!authorization) return { userId: undefined, loaders: undefined, services };
  try {
    const userId = await authenticate(services.authenticator, authorization);
    return { userId, loaders: new AssetLoaders(services.db, userId), services };
  } catch (error) {
    const appError = error as AppError;
    throw new GraphQLError(appError.message, { extensions: { code: appError.code, http: { status: 401 } } });
  }
}
