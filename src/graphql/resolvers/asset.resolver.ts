import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import type { GraphQLResolveInfo } from "graphql";
import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Asset } from "../../assets/entities";
import { caller, changeContext, type GraphQLContext } from "../context";
import { parseGraphQLSearch, selectedConnection } from "../search-args";
import { UpdateAssetInput, UploadAssetInput } from "../types/asset.inputs";
import { AssetConnectionType, AssetFilterInput, AssetSortField, SortOrderEnum } from "../types/search.type";
import {
  AssetObject, AssetUrlsType, DerivativeType, FolderSummaryType, TagSummaryType,
} from "../types/asset.type";
import { TypedMetadataUnion, typedMetadata } from "../types/metadata.type";
import { VisualType, visualOf } from "../types/visual.type";

@Resolver(() => AssetObject)
export class AssetResolver {
  @Authorized()
  @Query(() => AssetObject, { nullable: true, description: "One of the caller's assets; null (with NOT_FOUND in errors) for any other id, so the rest of the response stands" })
  asset(@Arg("id", () => ID, { description: "The asset's id" }) id: string, @Ctx() ctx: GraphQLContext): Promise<Asset> {
    return ctx.services.assets.get(caller(ctx).userId, id);
  }

  @Authorized()
  @Query(() => AssetConnectionType, { description: "The caller's assets: newest first unless sorted otherwise; deleted ones only when asked for" })
  async assets(
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
    @Arg("first", () => Int, { defaultValue: 50, description: "1-100" }) first: number,
    @Arg("after", () => String, { nullable: true, description: "The endCursor of the previous page" }) after?: string | null,
    @Arg("filter", () => AssetFilterInput, { nullable: true, description: "What to narrow the search to" }) filter?: AssetFilterInput | null,
    @Arg("sort", () => AssetSortField, { nullable: true, description: "What to order by; newest first when omitted" }) sort?: AssetSortField | null,
    @Arg("order", () => SortOrderEnum, { nullable: true, description: "Defaults: DESC for dates and sizes, ASC for names and types" }) order?: SortOrderEnum | null,
  ): Promise<AssetConnectionType> {
    const input = parseGraphQLSearch({ filter, sort, order, first, after });
    return selectedConnection(ctx, info, input, after);
  }

  @Authorized()
  @Query(() => AssetConnectionType, { description: "The same search as `assets`, with the filter required" })
  searchAssets(
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
    @Arg("filter", () => AssetFilterInput, { description: "What to narrow the search to" }) filter: AssetFilterInput,
    @Arg("first", () => Int, { defaultValue: 50, description: "How many assets (1-100)" }) first: number,
    @Arg("after", () => String, { nullable: true, description: "The endCursor of the previous page" }) after?: string | null,
    @Arg("sort", () => AssetSortField, { nullable: true, description: "What to order by; newest first when omitted" }) sort?: AssetSortField | null,
    @Arg("order", () => SortOrderEnum, { nullable: true, description: "ASC or DESC; the default depends on sort" }) order?: SortOrderEnum | null,
  ): Promise<AssetConnectionType> {
    return this.assets(ctx, info, first, after, filter, sort, order);
  }

  @Authorized()
  @Mutation(() => AssetObject, { description: "Upload a file (GraphQL multipart request); send the Apollo-Require-Preflight header" })
  async uploadAsset(
    @Arg("file", () => GraphQLUpload, { description: "The file (GraphQL multipart request)" }) file: Promise<FileUpload>,
    @Ctx() ctx: GraphQLContext,
    @Arg("input", () => UploadAssetInput, { nullable: true, description: "Optional details (name, folder, type, tags, duplicates)" }) input?: UploadAssetInput | null,
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
      findSimilar: input?.findSimilar ?? false,
      requestId: ctx.requestId,
    });
    return asset;
  }

  @Authorized()
  @Mutation(() => AssetObject, { description: "Renames, describes or moves an asset" })
  updateAsset(
    @Arg("id", () => ID, { description: "The asset's id" }) id: string,
    @Arg("input", () => UpdateAssetInput, { description: "What to change" }) input: UpdateAssetInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<Asset> {
    return ctx.services.assets.update(caller(ctx).userId, id, {
      name: input.name ?? undefined,
      description: input.description,
      folderId: input.folderId,
    }, changeContext(ctx));
  }

  @Authorized()
  @Mutation(() => AssetObject, { description: "Soft delete; a referenced asset needs force (its references are removed)" })
  deleteAsset(
    @Arg("id", () => ID, { description: "The asset's id" }) id: string,
    @Ctx() ctx: GraphQLContext,
    @Arg("force", () => Boolean, { defaultValue: false, description: "Also delete an asset projects still use (its references are removed)" }) force: boolean,
  ): Promise<Asset> {
    return ctx.services.assets.delete(caller(ctx).userId, id, force, changeContext(ctx));
  }

  @FieldResolver(() => TypedMetadataUnion, { description: "The metadata with a type per asset type: select `... on VideoMetadata { durationSeconds }`" })
  typedMetadata(@Root() asset: Asset): ReturnType<typeof typedMetadata> {
    return typedMetadata(asset.assetType, asset.metadata);
  }

  @FieldResolver(() => VisualType, { nullable: true, description: "Placeholder, colours and perceptual hash of its picture (images, logos, video posters, font specimens, audio cover art); null until processed" })
  visual(@Root() asset: Asset): VisualType | null {
    return visualOf(asset);
  }

  @FieldResolver(() => ID, { description: "The asset_id of the REST API" })
  assetId(@Root() asset: Asset): string {
    return asset.id;
  }

  @FieldResolver(() => FolderSummaryType, { nullable: true, description: "Null for the root" })
  folder(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<FolderSummaryType | null> | FolderSummaryType | null {
    return asset.folderId ? caller(ctx).loaders.folder(asset.id) : null;
  }

  @FieldResolver(() => [TagSummaryType], { description: "Its tags, by name" })
  tags(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<TagSummaryType[]> | TagSummaryType[] {
    return caller(ctx).loaders.tags(asset.id);
  }

  @FieldResolver(() => Int, { description: "How many versions it has (the current one included)" })
  versionsCount(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<number> | number {
    return caller(ctx).loaders.versionsCount(asset.id);
  }

  @FieldResolver(() => Int, { description: "How many project, template and batch uses the asset has" })
  referencesCount(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<number> | number {
    return caller(ctx).loaders.referencesCount(asset.id);
  }

  @FieldResolver(() => AssetUrlsType, { description: "Where its files can be fetched" })
  urls(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<AssetUrlsType> | AssetUrlsType {
    return caller(ctx).loaders.with(asset.id, (e) => ctx.services.urls.forAsset(asset, e.derivatives));
  }

  @FieldResolver(() => [DerivativeType], { description: "Thumbnails, previews, waveform and clips of the current version" })
  derivatives(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<DerivativeType[]> | DerivativeType[] {
    return caller(ctx).loaders.with(asset.id, (e) => e.derivatives.map((d) => ({ ...d, url: ctx.services.urls.derivativeUrl(asset.id, d.kind) })));
  }
}

