import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import express, { json, type Express } from "express";
import { GraphQLError } from "graphql";
import { graphqlUploadExpress } from "graphql-upload-minimal";
import type { Logger } from "pino";
import { AssetLoaders } from "./assets/asset-loaders";
import { MAX_UPLOAD_BYTES } from "./assets/asset-types";
import { authenticate } from "./auth/tokens";
import { AppError } from "./errors";
import type { GraphQLContext } from "./graphql/context";
import { createErrorFormatter, cutOffOversizedUploads } from "./graphql/error-format";
import { queryLimits } from "./graphql/query-limits";
import { buildGraphQLSchema } from "./graphql/schema";
import { settleUnreadBodies } from "./http/unread-bodies";
import { graphiqlPage } from "./http/graphiql";
import { assetRoutes } from "./rest/assets.routes";
import { folderAndTagRoutes } from "./rest/folders-tags.routes";
import { referenceRoutes } from "./rest/references.routes";
import { versionRoutes } from "./rest/versions.routes";
import { notFoundRoute, restErrorHandler } from "./rest/errors";
import { requireUser } from "./rest/request-context";
import type { Services } from "./services";

export interface HttpApp {
  app: Express;
  stop(): Promise<void>;
}

/** Builds the express app (GraphQL, GraphiQL, /v1) without listening, so tests can mount it. */
export async function createHttpApp(services: Services, log: Logger, options: { graphiqlHeaders?: Record<string, string> } = {}): Promise<HttpApp> {
  const apollo = new ApolloServer<GraphQLContext>({
    schema: await buildGraphQLSchema(),
    csrfPrevention: true,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(log, services.config.env === "development"),
    plugins: [ApolloServerPluginLandingPageDisabled(), cutOffOversizedUploads, queryLimits(services.config.graphqlLimits)],
  });
  await apollo.start();

  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(settleUnreadBodies);

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });

  const graphiql = graphiqlPage({ defaultHeaders: options.graphiqlHeaders });
  app.get("/graphiql", (_req, res) => {
    res.type("html").send(graphiql);
  });

  app.use(
    "/graphql",
    graphqlUploadExpress({ maxFileSize: MAX_UPLOAD_BYTES + 1, maxFiles: 1, maxFieldSize: 1024 * 1024 }),
    json({ limit: "1mb" }),
    expressMiddleware(apollo, {
      context: async ({ req }) => graphqlContext(services, req.headers.authorization),
    }),
  );

  app.use("/v1", requireUser(services), folderAndTagRoutes(services), versionRoutes(services), referenceRoutes(services), assetRoutes(services));
  app.use(notFoundRoute);
  app.use(restErrorHandler(log));

  return { app, stop: () => apollo.stop() };
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
