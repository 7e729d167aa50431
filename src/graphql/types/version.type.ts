import { GraphQLJSONObject } from "graphql-scalars";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import type { AssetMetadata } from "../../assets/entities/asset.entity";

@ObjectType("AssetVersion", { description: "One stored file in an asset's history" })
export class AssetVersionObject {
  @Field(() => ID, { description: "The version's own id" })
  id: string;

  @Field(() => Int, { description: "1 for the original upload, then 2, 3… (never reused)" })
  versionNumber: number;

  @Field(() => Int, { description: "Size in bytes" })
  fileSize: number;

  @Field({ description: "SHA-256 of the content, hex" })
  checksum: string;

  @Field({ description: "The exact MIME type of the stored content" })
  mimeType: string;

  @Field({ description: "The extension the file was uploaded with" })
  fileExtension: string;

  @Field({ description: "The file name it was uploaded with" })
  originalFilename: string;

  @Field(() => GraphQLJSONObject, { description: "Type-specific metadata of this version's file" })
  metadata: AssetMetadata;

  @Field(() => String, { nullable: true, description: "What changed, as the uploader put it" })
  changeDescription: string | null;

  @Field(() => ID, { description: "The user who uploaded it" })
  createdBy: string;

  @Field({ description: "When it was uploaded" })
  createdAt: Date;
}

@ObjectType("VersionComparison", { description: "How two versions of an asset differ" })
export class VersionComparisonObject {
  @Field(() => Int, { description: "The older version's number, as asked for" })
  from: number;

  @Field(() => Int, { description: "The newer version's number, as asked for" })
  to: number;

  @Field(() => GraphQLJSONObject, { description: "{added, removed, changed: {key: {from, to}}}" })
  metadata: Record<string, unknown>;

  @Field(() => Int, { description: "The `from` version's size in bytes" })
  sizeFrom: number;

  @Field(() => Int, { description: "The `to` version's size in bytes" })
  sizeTo: number;

  @Field(() => Int, { description: "sizeTo - sizeFrom" })
  sizeChangeBytes: number;

  @Field(() => Float, { description: "The change as a percentage of sizeFrom" })
  sizeChangePercent: number;

  @Field(() => String, { nullable: true, description: "Images and logos: the older version's preview, for a side-by-side view" })
  previewFrom: string | null;

  @Field(() => String, { nullable: true, description: "Images and logos: the newer version's preview" })
  previewTo: string | null;
}
