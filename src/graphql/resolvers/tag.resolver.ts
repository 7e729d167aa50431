import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from "type-graphql";
import type { Tag } from "../../assets/entities";
import { caller, type GraphQLContext } from "../context";
import { TagInput, TagObject, UpdateTagInput } from "../types/folder-tag.type";

@Resolver(() => TagObject)
export class TagResolver {
  @Authorized()
  @Query(() => [TagObject], { description: "The caller's tags, by name" })
  tags(@Ctx() ctx: GraphQLContext): Promise<Tag[]> {
    return ctx.services.tags.list(caller(ctx).userId);
  }

  @Authorized()
  @Mutation(() => TagObject)
  createTag(@Arg("input", () => TagInput) input: TagInput, @Ctx() ctx: GraphQLContext): Promise<Tag> {
    return ctx.services.tags.create(caller(ctx).userId, input);
  }

  @Authorized()
  @Mutation(() => TagObject)
  updateTag(@Arg("id", () => ID) id: string, @Arg("input", () => UpdateTagInput) input: UpdateTagInput, @Ctx() ctx: GraphQLContext): Promise<Tag> {
    return ctx.services.tags.update(caller(ctx).userId, id, { name: input.name ?? undefined, color: input.color });
  }

  @Authorized()
  @Mutation(() => TagObject, { description: "Deletes the tag and unlinks it from every asset" })
  deleteTag(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Tag> {
    return ctx.services.tags.delete(caller(ctx).userId, id);
  }

  @Authorized()
  @Mutation(() => [TagObject], { description: "Applies tags (by name; new names are created) to every listed asset, all or nothing" })
  tagAssets(
    @Arg("assetIds", () => [ID]) assetIds: string[],
    @Arg("tags", () => [String]) tags: string[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<Tag[]> {
    return ctx.services.tags.tagAssets(caller(ctx).userId, assetIds, tags);
  }

  @Authorized()
  @Mutation(() => Boolean, { description: "Removes tags (by name) from every listed asset, all or nothing" })
  async untagAssets(
    @Arg("assetIds", () => [ID]) assetIds: string[],
    @Arg("tags", () => [String]) tags: string[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<boolean> {
    await ctx.services.tags.untagAssets(caller(ctx).userId, assetIds, tags);
    return true;
  }
}
