import { MaxLength } from "class-validator";
import { Field, ID, InputType, Int, ObjectType } from "type-graphql";

@ObjectType("Folder", { description: "A folder of the caller's library; folders nest up to 10 levels" })
export class FolderObject {
  @Field(() => ID, { description: "The folder's id" })
  id: string;

  @Field({ description: "Unique among its siblings (any case)" })
  name: string;

  @Field(() => ID, { nullable: true, description: "Null for a top-level folder (the root is implicit)" })
  parentFolderId: string | null;

  @Field(() => String, { nullable: true, description: "Free text, when given" })
  description: string | null;

  @Field(() => String, { nullable: true, description: "#rgb or #rrggbb, when set" })
  color: string | null;

  @Field(() => Int, { description: "Live assets directly in this folder" })
  assetCount: number;

  @Field({ description: "When it was created" })
  createdAt: Date;

  @Field({ description: "When it was last renamed, moved or described" })
  updatedAt: Date;
}

@InputType("CreateFolderInput", { description: "A new folder" })
export class CreateFolderInput {
  @Field({ description: "1-255 characters, unique among its siblings" })
  @MaxLength(255)
  name: string;

  @Field(() => ID, { nullable: true, description: "The root when omitted" })
  parentFolderId?: string | null;

  @Field(() => String, { nullable: true, description: "Free text" })
  description?: string | null;

  @Field(() => String, { nullable: true, description: "#rgb or #rrggbb" })
  color?: string | null;
}

@InputType("UpdateFolderInput", { description: "Rename, move (parentFolderId; null: to the root), or describe" })
export class UpdateFolderInput {
  @Field(() => String, { nullable: true, description: "A new name, unique among its new siblings" })
  @MaxLength(255)
  name?: string;

  @Field(() => ID, { nullable: true, description: "A new parent; null moves it to the top level; never into itself or below it" })
  parentFolderId?: string | null;

  @Field(() => String, { nullable: true, description: "Free text; null clears it" })
  description?: string | null;

  @Field(() => String, { nullable: true, description: "#rgb or #rrggbb; null clears it" })
  color?: string | null;
}

@ObjectType("FolderDeletion", { description: "What a folder deletion removed" })
export class FolderDeletionType {
  @Field(() => Int, { description: "The folder and its subfolders" })
  deletedFolders: number;

  @Field(() => Int, { description: "Assets soft-deleted with the folder (force)" })
  deletedAssets: number;
}

@ObjectType("Tag", { description: "A label the caller puts on assets" })
export class TagObject {
  @Field(() => ID, { description: "The tag's id" })
  id: string;

  @Field({ description: "Unique per user, any case" })
  name: string;

  @Field(() => String, { nullable: true, description: "#rgb or #rrggbb, when set" })
  color: string | null;

  @Field(() => Int, { description: "Live assets carrying the tag" })
  usageCount: number;

  @Field({ description: "When it was created" })
  createdAt: Date;
}

@InputType("TagInput", { description: "A new tag" })
export class TagInput {
  @Field({ description: "1-100 characters, unique per user (any case)" })
  @MaxLength(100)
  name: string;

  @Field(() => String, { nullable: true, description: "#rgb or #rrggbb" })
  color?: string | null;
}

@InputType("UpdateTagInput", { description: "Rename or recolour a tag" })
export class UpdateTagInput {
  @Field(() => String, { nullable: true, description: "A new name, unique per user" })
  @MaxLength(100)
  name?: string;

  @Field(() => String, { nullable: true, description: "#rgb or #rrggbb; null clears it" })
  color?: string | null;
}
