import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Asset, AssetVersion } from "../../assets/entities";
import { caller, changeContext, type GraphQLContext } from "../context";
import { AssetObject } from "../types/asset.type";
import { AssetVersionObject, VersionComparisonObject } from "../types/version.type";

@Resolver(() => AssetObject)
export class VersionResolver {
  @FieldResolver(() => [AssetVersionObject], { description: "The history, newest first" })
  versions(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<AssetVersion[]> {
    return caller(ctx).loaders.lists.versions(asset);
  }

  @Authorized()
  @Query(() => AssetVersionObject, { nullable: true, description: "One version of one of the caller's assets; null (with NOT_FOUND in errors) when there is no such version" })
  async assetVersion(@Arg("assetId", () => ID, { description: "The asset's id" }) assetId: string, @Arg("versionNumber", () => Int, { description: "The version's number" }) versionNumber: number, @Ctx() ctx: GraphQLContext): Promise<AssetVersion> {
    return (await ctx.services.versions.get(caller(ctx).userId, assetId, versionNumber)).version;
  }

  @Authorized()
  @Query(() => VersionComparisonObject, { description: "Metadata diff, size change and, for images, both previews" })
  async compareAssetVersions(
    @Arg("assetId", () => ID, { description: "The asset's id" }) assetId: string,
    @Arg("from", () => Int, { description: "The older version's number" }) from: number,
    @Arg("to", () => Int, { description: "The newer version's number" }) to: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<VersionComparisonObject> {
    const c = await ctx.services.versions.compare(caller(ctx).userId, assetId, from, to);
    const previews = ctx.services.urls.comparisonPreviews(c.assetType, assetId, c.from.versionNumber, c.to.versionNumber);
    return {
      from: c.from.versionNumber,
      to: c.to.versionNumber,
      metadata: c.metadata,
      sizeFrom: c.size.from,
      sizeTo: c.size.to,
      sizeChangeBytes: c.size.changeBytes,
      sizeChangePercent: c.size.changePercent,
      previewFrom: previews?.from ?? null,
      previewTo: previews?.to ?? null,
    };
  }

  @Authorized()
  @Mutation(() => AssetObject, { description: "Adds a version (same type as the asset) that becomes current" })
  async uploadAssetVersion(
    @Arg("assetId", () => ID, { description: "The asset's id" }) assetId: string,
    @Arg("file", () => GraphQLUpload, { description: "The new file (GraphQL multipart request), of the asset's type" }) file: Promise<FileUpload>,
    @Ctx() ctx: GraphQLContext,
    @Arg("changeDescription", () => String, { nullable: true, description: "What changed" }) changeDescription?: string | null,
  ): Promise<Asset> {
    const upload = await file;
    const { asset } = await ctx.services.versions.upload(caller(ctx).userId, assetId, { filename: upload.filename, stream: upload.createReadStream(), changeDescription, requestId: ctx.requestId });
    return asset;
  }

  @Authorized()
  @Mutation(() => AssetObject, { description: "Makes an earlier (or later) version current; no version is lost" })
  rollbackAsset(@Arg("assetId", () => ID, { description: "The asset's id" }) assetId: string, @Arg("versionNumber", () => Int, { description: "The version's number" }) versionNumber: number, @Ctx() ctx: GraphQLContext): Promise<Asset> {
    return ctx.services.versions.rollback(caller(ctx).userId, assetId, versionNumber, changeContext(ctx));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Deletes a version that is not the current one" })
  async deleteAssetVersion(@Arg("assetId", () => ID, { description: "The asset's id" }) assetId: string, @Arg("versionNumber", () => Int, { description: "The version's number" }) versionNumber: number, @Ctx() ctx: GraphQLContext): Promise<boolean> {
    await ctx.services.versions.delete(caller(ctx).userId, assetId, versionNumber, changeContext(ctx));
    return true;
  }
}
