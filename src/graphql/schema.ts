import "reflect-metadata";
import type { GraphQLSchema } from "graphql";
import { buildSchema } from "type-graphql";
import { unauthenticated } from "../errors";
import type { GraphQLContext } from "./context";
import { AssetResolver } from "./resolvers/asset.resolver";

export function buildGraphQLSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [AssetResolver],
    validate: { forbidUnknownValues: false },
    authChecker: ({ context }: { context: GraphQLContext }) => {
      if (!context.userId) throw unauthenticated();
      return true;
    },
  });
}
