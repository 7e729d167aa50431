import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Tag } from "../../assets/entities";
import { caller, changeContext, type GraphQLContext } from "../context";
import { TagInput, TagObject, UpdateTagInput } from "../types/folder-tag.type";

@Resolver(() => TagObject)
export class TagResolver {
  @Authorized()
  @Query(() => [TagObject], { description: "The caller's tags, by name" })
  tags(@Ctx() ctx: GraphQLContext): Promise<Tag[]> {
    return ctx.services.tags.list(caller(ctx).userId);
  }

  @Authorized()
  @Mutation(() => TagObject, { description: "Creates a tag" })
  createTag(@Arg("input", () => TagInput, { description: "The tag's name and colour" }) input: TagInput, @Ctx() ctx: GraphQLContext): Promise<Tag> {
    return ctx.services.tags.create(caller(ctx).userId, input);
  }

  @Authorized()
  @Mutation(() => TagObject, { description: "Renames or recolours a tag" })
  updateTag(@Arg("id", () => ID, { description: "The tag's id" }) id: string, @Arg("input", () => UpdateTagInput, { description: "The tag's name and colour" }) input: UpdateTagInput, @Ctx() ctx: GraphQLContext): Promise<Tag> {
    return ctx.services.tags.update(caller(ctx).userId, id, { name: input.name ?? undefined, color: input.color });
  }

  @Authorized()
  @Mutation(() => TagObject, { description: "Deletes the tag and unlinks it from every asset" })
  deleteTag(@Arg("id", () => ID, { description: "The tag's id" }) id: string, @Ctx() ctx: GraphQLContext): Promise<Tag> {
    return ctx.services.tags.delete(caller(ctx).userId, id, changeContext(ctx));
  }

  @Authorized()
  @Mutation(() => [TagObject], { description: "Applies tags (by name; new names are created) to every listed asset, all or nothing" })
  tagAssets(
    @Arg("assetIds", () => [ID], { description: "The caller's assets to change (all or nothing)" }) assetIds: string[],
    @Arg("tags", () => [String], { description: "Tag names; unknown names are created when adding" }) tags: string[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<Tag[]> {
    return ctx.services.tags.tagAssets(caller(ctx).userId, assetIds, tags, changeContext(ctx));
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Removes tags (by name) from every listed asset, all or nothing" })
  async untagAssets(
    @Arg("assetIds", () => [ID], { description: "The caller's assets to change (all or nothing)" }) assetIds: string[],
    @Arg("tags", () => [String], { description: "Tag names; unknown names are created when adding" }) tags: string[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    await ctx.services.tags.untagAssets(caller(ctx).userId, assetIds, tags, changeContext(ctx));
    return true;
  }
}
