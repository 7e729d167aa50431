import { Authorized, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import type { AssetStats } from "../../assets/stats.service";
import { caller, type GraphQLContext } from "../context";

@ObjectType("TypeTotal")
class TypeTotal {
  @Field() assetType: string;
  @Field(() => Int) assets: number;
  @Field(() => Number, { description: "Bytes" }) bytes: number;
}

@ObjectType("LibraryTotals")
class LibraryTotals {
  @Field(() => Int) assets: number;
  @Field(() => Number, { description: "Bytes" }) bytes: number;
  @Field(() => [TypeTotal]) byType: TypeTotal[];
}

@ObjectType("KeyCount")
class KeyCount {
  @Field() key: string;
  @Field(() => Int) count: number;
}

@ObjectType("ReferenceTotals")
class ReferenceTotals {
  @Field(() => Int) total: number;
  @Field(() => [KeyCount]) byResourceType: KeyCount[];
  @Field(() => [KeyCount]) byUsageType: KeyCount[];
}

@ObjectType("MostUsedAsset")
class MostUsedAsset {
  @Field(() => ID) assetId: string;
  @Field() name: string;
  @Field() assetType: string;
  @Field(() => Int) references: number;
  @Field(() => [ID], { description: "Projects using the asset" }) projects: string[];
}

@ObjectType("RecentUse")
class RecentUse {
  @Field(() => ID) assetId: string;
  @Field() name: string;
  @Field() resourceType: string;
  @Field(() => ID) resourceId: string;
  @Field() usageType: string;
  @Field() createdAt: Date;
}

@ObjectType("AssetStats")
class AssetStatsObject {
  @Field(() => LibraryTotals) totals: LibraryTotals;
  @Field(() => ReferenceTotals) references: ReferenceTotals;
  @Field(() => [MostUsedAsset]) mostUsed: MostUsedAsset[];
  @Field(() => [RecentUse]) recentUses: RecentUse[];
}

@Resolver()
export class StatsResolver {
  @Authorized()
  @Query(() => AssetStatsObject, { description: "Library totals and how the caller's assets are used" })
  assetStats(@Ctx() ctx: GraphQLContext): Promise<AssetStats> {
    return ctx.services.stats.forUser(caller(ctx).userId);
  }
}
