import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Asset } from "../../assets/entities";
import { caller, type GraphQLContext } from "../context";
import { parseSearch } from "../../assets/search-input";
import { rawSearch, toConnection } from "../search-args";
import { UpdateAssetInput, UploadAssetInput } from "../types/asset.inputs";
import { AssetConnectionType, AssetFilterInput, AssetSortField, SortOrderEnum } from "../types/search.type";
import {
  AssetObject, AssetUrlsType, DerivativeType, FolderSummaryType, TagSummaryType,
} from "../types/asset.type";

@Resolver(() => AssetObject)
export class AssetResolver {
  @Authorized()
  @Query(() => AssetObject, { description: "One of the caller's assets; NOT_FOUND for any other id" })
  asset(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Asset> {
    return ctx.services.assets.get(caller(ctx).userId, id);
  }

  @Authorized()
  @Query(() => AssetConnectionType, { description: "The caller's assets: newest first unless sorted otherwise; deleted ones only when asked for" })
  async assets(
    @Ctx() ctx: GraphQLContext,
    @Arg("first", () => Int, { defaultValue: 50, description: "1-100" }) first: number,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
    @Arg("filter", () => AssetFilterInput, { nullable: true }) filter?: AssetFilterInput | null,
    @Arg("sort", () => AssetSortField, { nullable: true }) sort?: AssetSortField | null,
    @Arg("order", () => SortOrderEnum, { nullable: true, description: "Defaults: DESC for dates and sizes, ASC for names and types" }) order?: SortOrderEnum | null,
  ): Promise<AssetConnectionType> {
    const input = parseSearch(rawSearch({ filter, sort, order, first, after }));
    const { userId } = caller(ctx);
    return toConnection(await ctx.services.search.page(userId, input), () => ctx.services.search.counts(userId, input));
  }

  @Authorized()
  @Query(() => AssetConnectionType, { description: "The same search as `assets`, with the filter required" })
  searchAssets(
    @Ctx() ctx: GraphQLContext,
    @Arg("filter", () => AssetFilterInput) filter: AssetFilterInput,
    @Arg("first", () => Int, { defaultValue: 50 }) first: number,
    @Arg("after", () => String, { nullable: true }) after?: string | null,
    @Arg("sort", () => AssetSortField, { nullable: true }) sort?: AssetSortField | null,
    @Arg("order", () => SortOrderEnum, { nullable: true }) order?: SortOrderEnum | null,
  ): Promise<AssetConnectionType> {
    return this.assets(ctx, first, after, filter, sort, order);
  }

  @Authorized()
  @Mutation(() => AssetObject, { description: "Upload a file (GraphQL multipart request); send the Apollo-Require-Preflight header" })
  async uploadAsset(
    @Arg("file", () => GraphQLUpload) file: Promise<FileUpload>,
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => UploadAssetInput, { nullable: true }) input?: UploadAssetInput | null,
  ): Promise<Asset> {
    const upload = await file;
    const { asset } = await ctx.services.assets.upload(caller(ctx).userId, {
      filename: upload.filename,
      stream: upload.createReadStream(),
      name: input?.name,
      description: input?.description,
      folderId: input?.folderId,
      assetType: input?.assetType,
      tags: input?.tags,
      onDuplicate: input?.onDuplicate,
      requestId: ctx.requestId,
    });
    return asset;
  }

  @Authorized()
  @Mutation(() => AssetObject)
  updateAsset(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateAssetInput) input: UpdateAssetInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Asset> {
    return ctx.services.assets.update(caller(ctx).userId, id, {
      name: input.name ?? undefined,
      description: input.description,
      folderId: input.folderId,
    });
  }

  @Authorized()
  @Mutation(() => AssetObject, { description: "Soft delete; a referenced asset needs force (its references are removed)" })
  deleteAsset(
    @Arg("id", () => ID) id: string,
    @Ctx() ctx: GraphQLContext,
    @Arg("force", () => Boolean, { defaultValue: false }) force: boolean,
  ): Promise<Asset> {
    return ctx.services.assets.delete(caller(ctx).userId, id, force);
  }

  @FieldResolver(() => ID, { description: "The asset_id of the REST API" })
  assetId(@Root() asset: Asset): string {
    return asset.id;
  }

  @FieldResolver(() => FolderSummaryType, { nullable: true, description: "Null for the root" })
  folder(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<FolderSummaryType | null> | null {
    return asset.folderId ? caller(ctx).loaders.folder(asset.id) : null;
  }

  @FieldResolver(() => [TagSummaryType])
  tags(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<TagSummaryType[]> {
    return caller(ctx).loaders.tags(asset.id);
  }

  @FieldResolver(() => Int)
  versionsCount(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<number> {
    return caller(ctx).loaders.versionsCount(asset.id);
  }

  @FieldResolver(() => Int, { description: "How many project, template and batch uses the asset has" })
  referencesCount(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<number> {
    return caller(ctx).loaders.referencesCount(asset.id);
  }

  @FieldResolver(() => AssetUrlsType)
  async urls(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<AssetUrlsType> {
    return ctx.services.urls.forAsset(asset, await caller(ctx).loaders.derivatives(asset.id));
  }

  @FieldResolver(() => [DerivativeType], { description: "Thumbnails, previews, waveform and clips of the current version" })
  async derivatives(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<DerivativeType[]> {
    const derivatives = await caller(ctx).loaders.derivatives(asset.id);
    return derivatives.map((d) => ({ ...d, url: ctx.services.urls.derivativeUrl(asset.id, d.kind) }));
  }
}
