import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { unauthenticated } from "../errors";
import type { GraphQLContext } from "./context";
import { AssetResolver } from "./resolvers/asset.resolver";
import { ConnectionResolver } from "./resolvers/connection.resolver";
import { FileResolver } from "./resolvers/file.resolver";
import { FolderResolver } from "./resolvers/folder.resolver";
import { ReferenceResolver } from "./resolvers/reference.resolver";
import { StatsResolver } from "./resolvers/stats.resolver";
import { TagResolver } from "./resolvers/tag.resolver";
import { VersionResolver } from "./resolvers/version.resolver";
import { ResumableUploadResolver } from "./resolvers/resumable-upload.resolver";

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
    resolvers: [AssetResolver, ConnectionResolver, FolderResolver, TagResolver, VersionResolver, ReferenceResolver, StatsResolver, FileResolver, ResumableUploadResolver],
    validate: { forbidUnknownValues: false },
    authChecker: ({ context }: { context: GraphQLContext }) => {
      if (!context.userId) throw unauthenticated();
      return true;
    },
  });
  // type-graphql has no option for the root types' descriptions (GraphiQL's Docs panel opens on them).
  schema.getQueryType()!.description = "Reads: every one needs a bearer token and sees only the caller's own library";
  schema.getMutationType()!.description = "Changes: every one needs a bearer token and touches only the caller's own library";
  return schema;
}
