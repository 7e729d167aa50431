import type { GraphQLResolveInfo } from "graphql";
import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import type { Folder } from "../../assets/entities";
import { caller, changeContext, type GraphQLContext } from "../context";
import { parseGraphQLSearch, selectedConnection } from "../search-args";
import { CreateFolderInput, FolderDeletionType, FolderObject, UpdateFolderInput } from "../types/folder-tag.type";
import { AssetConnectionType } from "../types/search.type";

@Resolver(() => FolderObject)
export class FolderResolver {
  @Authorized()
  @Query(() => FolderObject, { nullable: true, description: "One of the caller's folders; null (with NOT_FOUND in errors) for any other id" })
  folder(@Arg("id", () => ID, { description: "The folder's id" }) id: string, @Ctx() ctx: GraphQLContext): Promise<Folder> {
    return ctx.services.folders.get(caller(ctx).userId, id);
  }

  @Authorized()
  @Query(() => [FolderObject], { description: "Subfolders of a folder, or the top-level folders when parentId is omitted" })
  folders(@Ctx() ctx: GraphQLContext, @Arg("parentId", () => ID, { nullable: true, description: "Whose subfolders; omitted for the top level" }) parentId?: string | null): Promise<Folder[]> {
    return ctx.services.folders.children(caller(ctx).userId, parentId ?? null);
  }

  @Authorized()
  @Mutation(() => FolderObject, { description: "Creates a folder (at most 10 levels deep)" })
  createFolder(@Arg("input", () => CreateFolderInput, { description: "The folder's name, place, description and colour" }) input: CreateFolderInput, @Ctx() ctx: GraphQLContext): Promise<Folder> {
    return ctx.services.folders.create(caller(ctx).userId, { ...input, parentId: input.parentFolderId });
  }

  @Authorized()
  @Mutation(() => FolderObject, { description: "Renames, moves, describes or recolours a folder" })
  updateFolder(@Arg("id", () => ID, { description: "The folder's id" }) id: string, @Arg("input", () => UpdateFolderInput, { description: "The folder's name, place, description and colour" }) input: UpdateFolderInput, @Ctx() ctx: GraphQLContext): Promise<Folder> {
    return ctx.services.folders.update(caller(ctx).userId, id, {
      name: input.name ?? undefined,
      parentId: input.parentFolderId,
      description: input.description,
      color: input.color,
    });
  }

  @Authorized()
  @Mutation(() => FolderDeletionType, { description: "Deletes the folder and its subfolders; assets inside need force" })
  deleteFolder(@Arg("id", () => ID, { description: "The folder's id" }) id: string, @Ctx() ctx: GraphQLContext, @Arg("force", () => Boolean, { defaultValue: false, description: "Also soft-delete the assets inside (and in subfolders)" }) force: boolean) {
    return ctx.services.folders.delete(caller(ctx).userId, id, force, changeContext(ctx));
  }

  @FieldResolver(() => [FolderObject], { description: "Its subfolders, by name" })
  children(@Root() folder: Folder, @Ctx() ctx: GraphQLContext): Promise<Folder[]> {
    return caller(ctx).loaders.lists.children(folder.id);
  }

  @FieldResolver(() => AssetConnectionType, { description: "The folder's assets (and its subfolders', with includeSubfolders)" })
  async assets(
    @Root() folder: Folder,
    @Ctx() ctx: GraphQLContext,
    @Info() info: GraphQLResolveInfo,
    @Arg("first", () => Int, { defaultValue: 50, description: "How many assets (1-100)" }) first: number,
    @Arg("after", () => String, { nullable: true, description: "The endCursor of the previous page" }) after?: string | null,
    @Arg("includeSubfolders", () => Boolean, { defaultValue: false, description: "The assets of every subfolder too" }) includeSubfolders?: boolean,
  ): Promise<AssetConnectionType> {
    const input = parseGraphQLSearch({ filter: { folderId: folder.id, includeSubfolders }, first, after });
    return selectedConnection(ctx, info, input, after);
  }
}
