import { Authorized, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from "type-graphql";
import type { AssetStats } from "../../assets/stats.service";
import { caller, type GraphQLContext } from "../context";
import { AssetTypeEnum } from "../types/asset.type";
import { ResourceTypeEnum, UsageTypeEnum } from "./reference.resolver";

@ObjectType("TypeTotal", { description: "The caller's live assets of one type" })
class TypeTotal {
  @Field(() => AssetTypeEnum, { description: "The type" }) assetType: string;
  @Field(() => Int, { description: "How many" }) assets: number;
  @Field(() => Number, { description: "Bytes" }) bytes: number;
}

@ObjectType("LibraryTotals", { description: "The caller's live assets" })
class LibraryTotals {
  @Field(() => Int, { description: "How many" }) assets: number;
  @Field(() => Number, { description: "Bytes" }) bytes: number;
  @Field(() => [TypeTotal], { description: "The same, per type" }) byType: TypeTotal[];
}

@ObjectType("KeyCount", { description: "A count under a name" })
class KeyCount {
  @Field({ description: "What is counted (a resource type, a usage type)" }) key: string;
  @Field(() => Int, { description: "How many" }) count: number;
}

@ObjectType("ReferenceTotals", { description: "Uses of the caller's assets by projects, templates and batches" })
class ReferenceTotals {
  @Field(() => Int, { description: "All uses" }) total: number;
  @Field(() => [KeyCount], { description: "Uses per resource type" }) byResourceType: KeyCount[];
  @Field(() => [KeyCount], { description: "Uses per usage type" }) byUsageType: KeyCount[];
}

@ObjectType("MostUsedAsset", { description: "One of the caller's most used assets" })
class MostUsedAsset {
  @Field(() => ID, { description: "The asset's id" }) assetId: string;
  @Field({ description: "Its name" }) name: string;
  @Field(() => AssetTypeEnum, { description: "Its type" }) assetType: string;
  @Field(() => Int, { description: "How many uses it has" }) references: number;
  @Field(() => [ID], { description: "Projects using the asset" }) projects: string[];
}

@ObjectType("RecentUse", { description: "A recent use of one of the caller's assets" })
class RecentUse {
  @Field(() => ID, { description: "The asset's id" }) assetId: string;
  @Field({ description: "Its name" }) name: string;
  @Field(() => ResourceTypeEnum, { description: "What kind of resource uses it" }) resourceType: string;
  @Field(() => ID, { description: "The resource's id" }) resourceId: string;
  @Field(() => UsageTypeEnum, { description: "How the resource uses it" }) usageType: string;
  @Field({ description: "When the use was recorded" }) createdAt: Date;
}

@ObjectType("AssetStats", { description: "Library totals and how the caller's assets are used" })
class AssetStatsObject {
  @Field(() => LibraryTotals, { description: "Assets and bytes, in all and per type" }) totals: LibraryTotals;
  @Field(() => ReferenceTotals, { description: "Uses, in all and per resource and usage type" }) references: ReferenceTotals;
  @Field(() => [MostUsedAsset], { description: "The assets with the most uses, most first" }) mostUsed: MostUsedAsset[];
  @Field(() => [RecentUse], { description: "The latest uses, newest first" }) recentUses: RecentUse[];
}

@Resolver()
export class StatsResolver {
  @Authorized()
  @Query(() => AssetStatsObject, { description: "Library totals and how the caller's assets are used" })
  assetStats(@Ctx() ctx: GraphQLContext): Promise<AssetStats> {
    return ctx.services.stats.forUser(caller(ctx).userId);
  }
}
