import { MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";

@ObjectType("Folder")
export class FolderObject {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => ID, { nullable: true, description: "Null for a top-level folder (the root is implicit)" })
  parentFolderId: string | null;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => String, { nullable: true })
  color: string | null;

  @Field(() => Int, { description: "Live assets directly in this folder" })
  assetCount: number;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@InputType("CreateFolderInput")
export class CreateFolderInput {
  @Field()
  @MaxLength(255)
  name: string;

  @Field(() => ID, { nullable: true, description: "The root when omitted" })
  parentFolderId?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true, description: "#rgb or #rrggbb" })
  color?: string | null;
}

@InputType("UpdateFolderInput", { description: "Rename, move (parentFolderId; null: to the root), or describe" })
export class UpdateFolderInput {
  @Field(() => String, { nullable: true })
  @MaxLength(255)
  name?: string;

  @Field(() => ID, { nullable: true })
  parentFolderId?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  color?: string | null;
}

@ObjectType("FolderDeletion")
export class FolderDeletionType {
  @Field(() => Int)
  deletedFolders: number;

  @Field(() => Int, { description: "Assets soft-deleted with the folder (force)" })
  deletedAssets: number;
}

@ObjectType("Tag")
export class TagObject {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field(() => String, { nullable: true })
  color: string | null;

  @Field(() => Int, { description: "Live assets carrying the tag" })
  usageCount: number;

  @Field()
  createdAt: Date;
}

@InputType("TagInput")
export class TagInput {
  @Field()
  @MaxLength(100)
  name: string;

  @Field(() => String, { nullable: true })
  color?: string | null;
}

@InputType("UpdateTagInput")
export class UpdateTagInput {
  @Field(() => String, { nullable: true })
  @MaxLength(100)
  name?: string;

  @Field(() => String, { nullable: true })
  color?: string | null;
}
