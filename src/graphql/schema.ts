import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { unauthenticated } from "../errors";
import type { GraphQLContext } from "./context";
import { AssetResolver } from "./resolvers/asset.resolver";
import { SimilarResolver } from "./resolvers/similar.resolver";
import { RenderResolver } from "./resolvers/render.resolver";
import { ConnectionResolver } from "./resolvers/connection.resolver";
import { FileResolver } from "./resolvers/file.resolver";
import { FolderResolver } from "./resolvers/folder.resolver";
import { ReferenceResolver } from "./resolvers/reference.resolver";
import { StatsResolver } from "./resolvers/stats.resolver";
import { TagResolver } from "./resolvers/tag.resolver";
import { VersionResolver } from "./resolvers/version.resolver";
import { ResumableUploadResolver } from "./resolvers/resumable-upload.resolver";
import { ActivityResolver } from "./resolvers/activity.resolver";
import { WebhookResolver } from "./resolvers/webhook.resolver";
import { DateTimeISO } from "./types/date-time.scalar";
import { callFieldResolversDirectly } from "./direct-field-resolvers";

/**
 * type-graphql insists on a pub/sub for any subscription; ours has none: `assetEvents` brings its
 * own `subscribe` (PostgreSQL LISTEN through the event bus), so this one is never asked.
 */
const NO_TOPICS = {
  publish: () => {
    throw new Error("subscriptions here have no topics");
  },
  subscribe: () => {
    throw new Error("subscriptions here have no topics");
  },
};

let built: Promise<GraphQLSchema> | undefined;

/**
 * The schema, built once per process: type-graphql reorders argument metadata on every build, so a
 * second build in the same process would print arguments in another order than schema.graphql.
 */
export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  built ??= build();
  return built;
}

async function build(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: [AssetResolver, ConnectionResolver, FolderResolver, TagResolver, VersionResolver, ReferenceResolver, StatsResolver, FileResolver, ResumableUploadResolver, ActivityResolver, WebhookResolver, SimilarResolver, RenderResolver],
    pubSub: NO_TOPICS,
    scalarsMap: [{ type: Date, scalar: DateTimeISO }],
    validate: { forbidUnknownValues: false },
    authChecker: ({ context }: { context: GraphQLContext }) => {
      if (!context.userId) throw unauthenticated();
      return true;
    },
  });
  // No globalMiddlewares above: the fields called directly would skip them (direct-field-resolvers.ts).
  callFieldResolversDirectly(schema);
  // type-graphql has no option for the root types' descriptions (GraphiQL's Docs panel opens on them).
  schema.getQueryType()!.description = "Reads: every one needs a bearer token and sees only the caller's own library";
  schema.getMutationType()!.description = "Changes: every one needs a bearer token and touches only the caller's own library";
  schema.getSubscriptionType()!.description = "Live events over WebSocket (graphql-transport-ws) at /graphql; the token goes in connection_init";
  return schema;
}
