import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { Asset } from "../../assets/entities";
import { DEFAULT_MAX_DISTANCE, MAX_DISTANCE, MAX_SIMILAR, type SimilarAsset } from "../../assets/similar.service";
import { caller, type GraphQLContext } from "../context";
import { AssetObject } from "../types/asset.type";

@ObjectType("SimilarAsset", { description: "A near-duplicate and how far its picture is from the one asked about" })
export class SimilarAssetType {
  @Field(() => AssetObject, { description: "The near-duplicate" })
  asset: Asset;

  @Field(() => Int, { description: "Bits in which the perceptual hashes differ (0: the same picture)" })
  distance: number;
}

@Resolver(() => AssetObject)
export class SimilarResolver {
  @FieldResolver(() => [SimilarAssetType], {
    nullable: true,
    description: "Its near-duplicates, nearest first (what similarAssets answers); null until its picture is hashed (an upload with findSimilar is hashed at once, others once ready), empty for a type without a picture",
  })
  nearDuplicates(
    @Root() asset: Asset,
    @Ctx() ctx: GraphQLContext,
    @Arg("maxDistance", () => Int, { defaultValue: DEFAULT_MAX_DISTANCE, description: `Most bits the perceptual hashes may differ in, 0-${MAX_DISTANCE}` }) maxDistance: number,
    @Arg("first", () => Int, { defaultValue: 5, description: `At most this many, 1-${MAX_SIMILAR}` }) first: number,
  ): Promise<SimilarAsset[]> | null {
    if (asset.phash === null) return asset.status === "processing" ? null : Promise.resolve([]);
    return ctx.services.similar.similarTo(asset, { maxDistance, limit: first }, (field) => (field === "limit" ? "first" : field));
  }

  @Authorized()
  @Query(() => [SimilarAssetType], {
    description: "The caller's assets whose picture looks like this one's (resized, re-encoded, slightly cropped), nearest first; empty while it is processing or has no picture",
  })
  similarAssets(
    @Arg("id", () => ID, { description: "The asset to compare with" }) id: string,
    @Ctx() ctx: GraphQLContext,
    @Arg("maxDistance", () => Int, { defaultValue: DEFAULT_MAX_DISTANCE, description: `Most bits the perceptual hashes may differ in, 0-${MAX_DISTANCE}` }) maxDistance: number,
    @Arg("first", () => Int, { defaultValue: 20, description: `At most this many, 1-${MAX_SIMILAR}` }) first: number,
  ): Promise<SimilarAsset[]> {
    return ctx.services.similar.similar(caller(ctx).userId, id, { maxDistance, limit: first }, (field) => (field === "limit" ? "first" : field));
  }
}
