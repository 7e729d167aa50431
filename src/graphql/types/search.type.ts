import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { AssetType } from "../../assets/asset-types";
import type { AssetStatus } from "../../assets/entities/asset.entity";
import type { SearchCounts } from "../../assets/search.service";
import type { ColorFamily } from "../../assets/media/color-families";
import { AssetObject, AssetStatusEnum, AssetTypeEnum, PageInfoType } from "./asset.type";
import { ColorFamilyEnum } from "./visual.type";

export enum AssetSortField {
  NAME = "name",
  CREATED_AT = "created_at",
  FILE_SIZE = "file_size",
  ASSET_TYPE = "asset_type",
}
registerEnumType(AssetSortField, { name: "AssetSortField", description: "What a page of assets is ordered by (ties broken by id)" });

export enum SortOrderEnum {
  ASC = "asc",
  DESC = "desc",
}
registerEnumType(SortOrderEnum, { name: "SortOrder", description: "Ascending or descending" });

@InputType("AssetFilter", { description: "Every field narrows the search; all combine" })
export class AssetFilterInput {
  @Field(() => String, { nullable: true, description: "Part of the name, any case" })
  query?: string | null;

  @Field(() => [AssetTypeEnum], { nullable: true, description: "Any of these types" })
  assetTypes?: AssetType[] | null;

  @Field(() => String, { nullable: true, description: 'A folder id, or "root" for assets outside folders' })
  folderId?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: "With folderId: the assets of its subfolders too" })
  includeSubfolders?: boolean | null;

  @Field(() => [String], { nullable: true, description: "Tag names; an asset must carry all of them" })
  tags?: string[] | null;

  @Field(() => Date, { nullable: true, description: "Uploaded at or after this time" })
  createdAfter?: Date | null;

  @Field(() => Date, { nullable: true, description: "Uploaded before this time" })
  createdBefore?: Date | null;

  @Field(() => Number, { nullable: true, description: "At least this many bytes" })
  fileSizeMin?: number | null;

  @Field(() => Number, { nullable: true, description: "At most this many bytes" })
  fileSizeMax?: number | null;

  @Field(() => AssetStatusEnum, { nullable: true, description: "Deleted assets appear only when DELETED is asked for" })
  status?: AssetStatus | null;

  @Field(() => ColorFamilyEnum, { nullable: true, description: "The dominant colour's family (Visual.colorFamily)" })
  color?: ColorFamily | null;
}

@ObjectType("AssetTypeCount", { description: "How many matching assets are of one type" })
export class AssetTypeCountType {
  @Field(() => AssetTypeEnum, { description: "The type" })
  assetType: AssetType;

  @Field(() => Int, { description: "Matching assets of that type" })
  count: number;
}

@ObjectType("FolderCount", { description: "How many matching assets sit directly in one folder" })
export class FolderCountType {
  @Field(() => ID, { nullable: true, description: "Null for assets outside any folder" })
  folderId: string | null;

  @Field(() => String, { nullable: true, description: "The folder's name; null for assets outside any folder" })
  name: string | null;

  @Field(() => Int, { description: "Matching assets in that folder" })
  count: number;
}

@ObjectType("AssetFacets", { description: "Counts over the same filters as the results" })
export class AssetFacetsType {
  @Field(() => [AssetTypeCountType], { description: "By type, over the whole match set" })
  assetType: AssetTypeCountType[];

  @Field(() => [FolderCountType], { description: "By folder, over the whole match set" })
  folder: FolderCountType[];
}

@ObjectType("AssetEdge", { description: "An asset in a page, with its cursor" })
export class AssetEdgeType {
  @Field({ description: "Pass as `after` to get the assets that follow this one (same user, filters and sort only)" })
  cursor: string;

  @Field(() => AssetObject, { description: "The asset" })
  node: AssetObject;
}

@ObjectType("AssetConnection", { description: "A page of assets (a Relay connection)" })
export class AssetConnectionType {
  @Field(() => [AssetEdgeType], { description: "The page's assets with their cursors" })
  edges: AssetEdgeType[];

  @Field(() => [AssetObject], { description: "The nodes of `edges`, for clients that do not need cursors" })
  nodes: AssetObject[];

  @Field(() => PageInfoType, { description: "Whether more pages follow, and the cursors to get them" })
  pageInfo: PageInfoType;

  // totalCount and facets are resolved by ConnectionResolver from `count`, only when selected.
  @Field(() => Int, { description: "How many assets match, across all pages (counted only when asked for)" })
  totalCount?: number;

  @Field(() => AssetFacetsType, { description: "Counted only when asked for" })
  facets?: AssetFacetsType;

  /** Counts the whole match set, at most once per connection; not a GraphQL field. */
  count: () => Promise<SearchCounts>;
}
