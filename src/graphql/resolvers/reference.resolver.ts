import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Resolver, Root, registerEnumType } from "type-graphql";
import type { Asset, AssetReference } from "../../assets/entities";
import { caller, type GraphQLContext } from "../context";
import { AssetObject } from "../types/asset.type";

export enum ResourceTypeEnum {
  PROJECT = "project",
  TEMPLATE = "template",
  BATCH = "batch",
}
registerEnumType(ResourceTypeEnum, { name: "ResourceType" });

@InputType("ReferenceInput")
class ReferenceInput {
  @Field(() => ID)
  assetId: string;

  @Field({ description: "project: thumbnail, background, overlay, audio, intro, outro; template: default_thumbnail, default_audio, logo; batch: shared_asset" })
  usageType: string;
}

@ObjectType("AssetReference", { description: "One use of an asset by a project, template or batch" })
class AssetReferenceObject {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  assetId: string;

  @Field(() => ResourceTypeEnum)
  resourceType: ResourceTypeEnum;

  @Field(() => ID)
  resourceId: string;

  @Field()
  usageType: string;

  @Field()
  createdAt: Date;
}

@Resolver(() => AssetObject)
export class ReferenceResolver {
  @FieldResolver(() => [AssetReferenceObject], { description: "Where the asset is used" })
  references(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<AssetReference[]> {
    return ctx.services.references.forAsset(caller(ctx).userId, asset.id);
  }

  @Authorized()
  @Mutation(() => [AssetReferenceObject], { description: "A resource was saved: its references become exactly this set" })
  setResourceReferences(
    @Arg("resourceType", () => ResourceTypeEnum) resourceType: ResourceTypeEnum,
    @Arg("resourceId", () => ID) resourceId: string,
    @Arg("references", () => [ReferenceInput]) references: ReferenceInput[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<AssetReference[]> {
    return ctx.services.references.replace(caller(ctx).userId, resourceType, resourceId, references);
  }

  @Authorized()
  @Mutation(() => Int, { description: "A resource was deleted: its references go; returns how many" })
  removeResourceReferences(
    @Arg("resourceType", () => ResourceTypeEnum) resourceType: ResourceTypeEnum,
    @Arg("resourceId", () => ID) resourceId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<number> {
    return ctx.services.references.remove(caller(ctx).userId, resourceType, resourceId);
  }

  @Authorized()
  @Mutation(() => AssetObject, { description: "Brings back a soft-deleted asset (until it is purged)" })
  restoreAsset(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<Asset> {
    return ctx.services.assets.restore(caller(ctx).userId, id);
  }
}
