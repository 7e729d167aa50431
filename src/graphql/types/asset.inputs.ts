import { IsOptional, IsUUID, MaxLength } from "class-validator";
import { Field, ID, InputType, registerEnumType } from "type-graphql";
import { type AssetType } from "../../assets/asset-types";
import { AssetTypeEnum } from "./asset.type";

export enum OnDuplicate {
  REJECT = "reject",
  LINK = "link",
  KEEP = "keep",
}
registerEnumType(OnDuplicate, {
  name: "OnDuplicate",
  description: "When the same bytes are already in the library: REJECT (DUPLICATE_ASSET), LINK (answer with that asset) or KEEP (a second copy)",
});

@InputType({ description: "Optional details of an upload; the file itself is the `file` argument" })
export class UploadAssetInput {
  @Field(() => String, { nullable: true, description: "Defaults to the file name without its extension" })
  @IsOptional()
  @MaxLength(255)
  name?: string | null;

  @Field(() => String, { nullable: true, description: "Free text, up to 10,000 characters" })
  @IsOptional()
  @MaxLength(10_000)
  description?: string | null;

  @Field(() => ID, { nullable: true, description: "Target folder; the root when omitted" })
  @IsOptional()
  @IsUUID()
  folderId?: string | null;

  @Field(() => AssetTypeEnum, { nullable: true, description: "Needed to file a PNG as a LOGO; otherwise from the extension" })
  @IsOptional()
  assetType?: AssetType | null;

  @Field(() => [String], { nullable: true, description: "Tag names; unknown names are created" })
  @IsOptional()
  tags?: string[] | null;

  @Field(() => OnDuplicate, { nullable: true, defaultValue: OnDuplicate.REJECT, description: "What to do when the library already holds these bytes" })
  @IsOptional()
  onDuplicate?: OnDuplicate | null;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: "Hash the picture now, so the answer's `nearDuplicates` lists look-alikes already in the library (costs one more decode); otherwise they are known once it is ready" })
  @IsOptional()
  findSimilar?: boolean | null;
}

@InputType({ description: "Fields to change; omitted fields stay as they are" })
export class UpdateAssetInput {
  @Field(() => String, { nullable: true, description: "A new display name (1-255 characters)" })
  @IsOptional()
  @MaxLength(255)
  name?: string;

  @Field(() => String, { nullable: true, description: "Free text; null clears it" })
  @IsOptional()
  @MaxLength(10_000)
  description?: string | null;

  @Field(() => ID, { nullable: true, description: "Move to this folder; null moves to the root" })
  @IsOptional()
  @IsUUID()
  folderId?: string | null;
}
