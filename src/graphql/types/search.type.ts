import { Field, ID, InputType, Int, ObjectType, registerEnumType } from "type-graphql";
import type { AssetType } from "../../assets/asset-types";
import type { AssetStatus } from "../../assets/entities/asset.entity";
import type { SearchCounts } from "../../assets/search.service";
import { AssetObject, AssetStatusEnum, AssetTypeEnum, PageInfoType } from "./asset.type";

export enum AssetSortField {
  NAME = "name",
  CREATED_AT = "created_at",
  FILE_SIZE = "file_size",
  ASSET_TYPE = "asset_type",
}
registerEnumType(AssetSortField, { name: "AssetSortField" });

export enum SortOrderEnum {
  ASC = "asc",
  DESC = "desc",
}
registerEnumType(SortOrderEnum, { name: "SortOrder" });

@InputType("AssetFilter", { description: "Every field narrows the search; all combine" })
export class AssetFilterInput {
  @Field(() => String, { nullable: true, description: "Part of the name, any case" })
  query?: string | null;

  @Field(() => [AssetTypeEnum], { nullable: true })
  assetTypes?: AssetType[] | null;

  @Field(() => String, { nullable: true, description: 'A folder id, or "root" for assets outside folders' })
  folderId?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false })
  includeSubfolders?: boolean | null;

  @Field(() => [String], { nullable: true, description: "Tag names; an asset must carry all of them" })
  tags?: string[] | null;

  @Field(() => Date, { nullable: true })
  createdAfter?: Date | null;

  @Field(() => Date, { nullable: true })
  createdBefore?: Date | null;

  @Field(() => Number, { nullable: true, description: "Bytes" })
  fileSizeMin?: number | null;

  @Field(() => Number, { nullable: true, description: "Bytes" })
  fileSizeMax?: number | null;

  @Field(() => AssetStatusEnum, { nullable: true, description: "Deleted assets appear only when DELETED is asked for" })
  status?: AssetStatus | null;
}

@ObjectType("AssetTypeCount")
export class AssetTypeCountType {
  @Field(() => AssetTypeEnum)
  assetType: AssetType;

  @Field(() => Int)
  count: number;
}

@ObjectType("FolderCount")
export class FolderCountType {
  @Field(() => ID, { nullable: true, description: "Null for assets outside any folder" })
  folderId: string | null;

  @Field(() => String, { nullable: true })
  name: string | null;

  @Field(() => Int)
  count: number;
}

@ObjectType("AssetFacets", { description: "Counts over the same filters as the results" })
export class AssetFacetsType {
  @Field(() => [AssetTypeCountType])
  assetType: AssetTypeCountType[];

  @Field(() => [FolderCountType])
  folder: FolderCountType[];
}

@ObjectType("AssetEdge")
export class AssetEdgeType {
  @Field()
  cursor: string;

  @Field(() => AssetObject)
  node: AssetObject;
}

@ObjectType("AssetConnection")
export class AssetConnectionType {
  @Field(() => [AssetEdgeType])
  edges: AssetEdgeType[];

  @Field(() => [AssetObject], { description: "The nodes of `edges`, for clients that do not need cursors" })
  nodes: AssetObject[];

  @Field(() => PageInfoType)
  pageInfo: PageInfoType;

  // totalCount and facets are resolved by ConnectionResolver from `count`, only when selected.
  @Field(() => Int, { description: "How many assets match, across all pages (counted only when asked for)" })
  totalCount?: number;

  @Field(() => AssetFacetsType, { description: "Counted only when asked for" })
  facets?: AssetFacetsType;

  /** Counts the whole match set, at most once per connection; not a GraphQL field. */
  count: () => Promise<SearchCounts>;
}
