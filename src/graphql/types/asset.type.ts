import { GraphQLJSONObject } from "graphql-scalars";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { ASSET_TYPES, type AssetType } from "../../assets/asset-types";
import { DERIVATIVE_KINDS, type DerivativeKind } from "../../assets/entities/asset-derivative.entity";
import { ASSET_STATUSES, type AssetStatus } from "../../assets/entities/asset.entity";

/** GraphQL enum values are upper case; the domain's lower-case strings stay the internal values. */
function enumOf<T extends string>(values: readonly T[]): Record<Uppercase<T>, T> {
  return Object.fromEntries(values.map((v) => [v.toUpperCase(), v])) as Record<Uppercase<T>, T>;
}

export const AssetTypeEnum = enumOf(ASSET_TYPES);
registerEnumType(AssetTypeEnum, { name: "AssetType", description: "What kind of media an asset holds" });

export const AssetStatusEnum = enumOf(ASSET_STATUSES);
registerEnumType(AssetStatusEnum, {
  name: "AssetStatus",
  description: "processing: received, derivatives pending; ready: usable; failed: processing failed; deleted: soft-deleted",
});

@ObjectType("AssetUrls")
export class AssetUrlsType {
  @Field({ description: "Authenticated URL of the current file; never expires" })
  permanent: string;

  @Field({ description: "Where to download the original file" })
  download: string;

  @Field(() => String, { nullable: true })
  thumbnail: string | null;

  @Field(() => String, { nullable: true })
  preview: string | null;
}

export const DerivativeKindEnum = enumOf(DERIVATIVE_KINDS);
registerEnumType(DerivativeKindEnum, {
  name: "DerivativeKind",
  description: "THUMBNAIL: 150x150; PREVIEW: longest side at most 600 px; WAVEFORM: JSON peaks; CLIP: short MP3/MP4 excerpt",
});

@ObjectType("Derivative", { description: "A file made from the asset's current version" })
export class DerivativeType {
  @Field(() => DerivativeKindEnum)
  kind: DerivativeKind;

  @Field()
  mimeType: string;

  @Field(() => Int)
  fileSize: number;

  @Field(() => Int, { nullable: true })
  width: number | null;

  @Field(() => Int, { nullable: true })
  height: number | null;

  @Field({ description: "Authenticated URL of the file" })
  url: string;
}

@ObjectType("FolderSummary", { description: "The folder an asset sits in" })
export class FolderSummaryType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;
}

@ObjectType("TagSummary", { description: "A tag applied to an asset" })
export class TagSummaryType {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  color: string | null;
}

@ObjectType("Asset", { description: "An uploaded media file with its metadata; fields mirror the current version" })
export class AssetObject {
  @Field(() => ID, { description: "Globally unique; the same value as assetId (for client caches)" })
  id: string;

  @Field(() => AssetTypeEnum)
  assetType: AssetType;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field({ description: "The exact MIME type of the stored content" })
  mimeType: string;

  @Field({ description: "The extension the file was uploaded with" })
  fileExtension: string;

  @Field(() => Int, { description: "Size in bytes" })
  fileSize: number;

  @Field()
  originalFilename: string;

  @Field({ description: "SHA-256 of the content, hex" })
  checksum: string;

  @Field(() => AssetStatusEnum)
  status: AssetStatus;

  @Field(() => String, { nullable: true, description: "Why processing failed, when status is FAILED" })
  statusReason: string | null;

  @Field(() => GraphQLJSONObject, { description: "Type-specific metadata, with the spec's snake_case field names" })
  metadata: Record<string, unknown>;

  @Field(() => Int, { description: "The version number the asset currently points at" })
  currentVersion: number;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType("PageInfo")
export class PageInfoType {
  @Field()
  hasNextPage: boolean;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}
