import { GraphQLJSONObject } from "graphql-scalars";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { ASSET_TYPES, type AssetType } from "../../assets/asset-types";
import { DERIVATIVE_KINDS, type DerivativeKind } from "../../assets/entities/asset-derivative.entity";
import { ASSET_STATUSES, type AssetStatus } from "../../assets/entities/asset.entity";

/** GraphQL enum values are upper case; the domain's lower-case strings stay the internal values. */
export function enumOf<T extends string>(values: readonly T[]): Record<Uppercase<T>, T> {
  return Object.fromEntries(values.map((v) => [v.toUpperCase(), v])) as Record<Uppercase<T>, T>;
}

export const AssetTypeEnum = enumOf(ASSET_TYPES);
registerEnumType(AssetTypeEnum, { name: "AssetType", description: "What kind of media an asset holds" });

export const AssetStatusEnum = enumOf(ASSET_STATUSES);
registerEnumType(AssetStatusEnum, {
  name: "AssetStatus",
  description: "processing: received, derivatives pending; ready: usable; failed: processing failed; deleted: soft-deleted",
});

@ObjectType("AssetUrls", { description: "Where the asset's files can be fetched" })
export class AssetUrlsType {
  @Field({ description: "Authenticated URL of the current file; never expires" })
  permanent: string;

  @Field({ description: "Where to download the original file" })
  download: string;

  @Field(() => String, { nullable: true, description: "Signed URL of the 150x150 thumbnail, usable without a token (an <img> src); null until it is made" })
  thumbnail: string | null;

  @Field(() => String, { nullable: true, description: "Signed URL of the preview (longest side at most 600 px), usable without a token; null until it is made" })
  preview: string | null;
}

export const DerivativeKindEnum = enumOf(DERIVATIVE_KINDS);
registerEnumType(DerivativeKindEnum, {
  name: "DerivativeKind",
  description: "THUMBNAIL: 150x150; PREVIEW: longest side at most 600 px; WAVEFORM: BBC audiowaveform JSON (version 2, 8-bit min/max pairs); CLIP: short MP3/MP4 excerpt",
});

@ObjectType("Derivative", { description: "A file made from the asset's current version" })
export class DerivativeType {
  @Field(() => DerivativeKindEnum, { description: "Which derivative this is" })
  kind: DerivativeKind;

  @Field({ description: "The derivative file's MIME type" })
  mimeType: string;

  @Field(() => Int, { description: "Size in bytes" })
  fileSize: number;

  @Field(() => Int, { nullable: true, description: "Pixels; null where the file has no picture (a waveform's JSON, an audio clip)" })
  width: number | null;

  @Field(() => Int, { nullable: true, description: "Pixels; null where the file has no picture" })
  height: number | null;

  @Field({ description: "Authenticated URL of the file" })
  url: string;
}

@ObjectType("FolderSummary", { description: "The folder an asset sits in" })
export class FolderSummaryType {
  @Field(() => ID, { description: "The folder's id" })
  id: string;

  @Field({ description: "The folder's name" })
  name: string;
}

@ObjectType("TagSummary", { description: "A tag applied to an asset" })
export class TagSummaryType {
  @Field(() => ID, { description: "The tag's id" })
  id: string;

  @Field({ description: "The tag's name (unique per user, any case)" })
  name: string;

  @Field(() => String, { nullable: true, description: "#rgb or #rrggbb, when set" })
  color: string | null;
}

@ObjectType("Asset", { description: "An uploaded media file with its metadata; fields mirror the current version" })
export class AssetObject {
  @Field(() => ID, { description: "Globally unique; the same value as assetId (for client caches)" })
  id: string;

  @Field(() => AssetTypeEnum, { description: "What kind of media it holds" })
  assetType: AssetType;

  @Field({ description: "Display name: the file name's stem unless one was given" })
  name: string;

  @Field(() => String, { nullable: true, description: "Free text, when given" })
  description: string | null;

  @Field({ description: "The exact MIME type of the stored content" })
  mimeType: string;

  @Field({ description: "The extension the file was uploaded with" })
  fileExtension: string;

  @Field(() => Int, { description: "Size in bytes" })
  fileSize: number;

  @Field({ description: "The file name it was uploaded with" })
  originalFilename: string;

  @Field({ description: "SHA-256 of the content, hex" })
  checksum: string;

  @Field(() => AssetStatusEnum, { description: "Where processing stands" })
  status: AssetStatus;

  @Field(() => String, { nullable: true, description: "Why processing failed, when status is FAILED" })
  statusReason: string | null;

  @Field(() => GraphQLJSONObject, { description: "Type-specific metadata, with the spec's snake_case field names" })
  metadata: Record<string, unknown>;

  @Field(() => Int, { description: "The version number the asset currently points at" })
  currentVersion: number;

  @Field({ description: "When it was uploaded" })
  createdAt: Date;

  @Field({ description: "When it last changed (a rename, a move, a new version, a rollback)" })
  updatedAt: Date;
}

@ObjectType("PageInfo", { description: "Where a page sits in the whole result (Relay)" })
export class PageInfoType {
  @Field({ description: "Whether another page follows: pass endCursor as `after` to get it" })
  hasNextPage: boolean;

  @Field({ description: "Whether pages come before this one (true when the page was asked for with `after`)" })
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true, description: "The cursor of the page's first edge; null for an empty page" })
  startCursor: string | null;

  @Field(() => String, { nullable: true, description: "The cursor of the page's last edge; null for an empty page" })
  endCursor: string | null;
}
