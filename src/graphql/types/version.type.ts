import { GraphQLJSONObject } from "graphql-scalars";
import { Field, Float, ID, Int, ObjectType } from "type-graphql";
import type { AssetMetadata } from "../../assets/entities/asset.entity";

@ObjectType("AssetVersion", { description: "One stored file in an asset's history" })
export class AssetVersionObject {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  versionNumber: number;

  @Field(() => Int)
  fileSize: number;

  @Field()
  checksum: string;

  @Field()
  mimeType: string;

  @Field()
  fileExtension: string;

  @Field()
  originalFilename: string;

  @Field(() => GraphQLJSONObject)
  metadata: AssetMetadata;

  @Field(() => String, { nullable: true })
  changeDescription: string | null;

  @Field(() => ID)
  createdBy: string;

  @Field()
  createdAt: Date;
}

@ObjectType("VersionComparison")
export class VersionComparisonObject {
  @Field(() => Int)
  from: number;

  @Field(() => Int)
  to: number;

  @Field(() => GraphQLJSONObject, { description: "{added, removed, changed: {key: {from, to}}}" })
  metadata: Record<string, unknown>;

  @Field(() => Int)
  sizeFrom: number;

  @Field(() => Int)
  sizeTo: number;

  @Field(() => Int)
  sizeChangeBytes: number;

  @Field(() => Float)
  sizeChangePercent: number;

  @Field(() => String, { nullable: true, description: "Images and logos: the older version's preview, for a side-by-side view" })
  previewFrom: string | null;

  @Field(() => String, { nullable: true })
  previewTo: string | null;
}
