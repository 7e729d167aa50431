import { FieldResolver, Int, Resolver, Root } from "type-graphql";
import { AssetConnectionType, AssetFacetsType } from "../types/search.type";

/** A connection's counts, made only when a query asks for them. */
@Resolver(() => AssetConnectionType)
export class ConnectionResolver {
  @FieldResolver(() => Int)
  async totalCount(@Root() connection: AssetConnectionType): Promise<number> {
    return (await connection.count()).total;
  }

  @FieldResolver(() => AssetFacetsType)
  async facets(@Root() connection: AssetConnectionType): Promise<AssetFacetsType> {
    const { facets } = await connection.count();
    return {
      assetType: Object.entries(facets.assetType).map(([assetType, count]) => ({ assetType: assetType as never, count: count! })),
      folder: facets.folder,
    };
  }
}
