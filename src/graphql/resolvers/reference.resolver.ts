import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Resolver, Root, registerEnumType } from "type-graphql";
import type { Asset, AssetReference } from "../../assets/entities";
import { caller, changeContext, type GraphQLContext } from "../context";
import { USAGE_TYPES } from "../../assets/reference.service";
import { AssetObject, enumOf } from "../types/asset.type";

export enum ResourceTypeEnum {
  PROJECT = "project",
  TEMPLATE = "template",
  BATCH = "batch",
}
registerEnumType(ResourceTypeEnum, { name: "ResourceType", description: "What kind of resource uses an asset" });

/** Every usage type of every resource type; which resource may use which is checked on save. */
export const UsageTypeEnum = enumOf([...new Set(Object.values(USAGE_TYPES).flat())]);
registerEnumType(UsageTypeEnum, {
  name: "UsageType",
  description: "How a resource uses an asset. A PROJECT: THUMBNAIL, BACKGROUND, OVERLAY, AUDIO, INTRO, OUTRO; a TEMPLATE: DEFAULT_THUMBNAIL, DEFAULT_AUDIO, LOGO; a BATCH: SHARED_ASSET",
});

@InputType("ReferenceInput", { description: "One use of an asset by the resource being saved" })
class ReferenceInput {
  @Field(() => ID, { description: "One of the caller's assets" })
  assetId: string;

  @Field(() => UsageTypeEnum, { description: "How the resource uses the asset (which values a resource type may use: see UsageType)" })
  usageType: string;
}

@ObjectType("AssetReference", { description: "One use of an asset by a project, template or batch" })
class AssetReferenceObject {
  @Field(() => ID, { description: "The reference's own id" })
  id: string;

  @Field(() => ID, { description: "The asset used" })
  assetId: string;

  @Field(() => ResourceTypeEnum, { description: "What kind of resource uses it" })
  resourceType: ResourceTypeEnum;

  @Field(() => ID, { description: "The resource's id in the system that owns it" })
  resourceId: string;

  @Field(() => UsageTypeEnum, { description: "How the resource uses it" })
  usageType: string;

  @Field({ description: "When the use was recorded" })
  createdAt: Date;
}

@Resolver(() => AssetObject)
export class ReferenceResolver {
  @FieldResolver(() => [AssetReferenceObject], { description: "Where the asset is used" })
  references(@Root() asset: Asset, @Ctx() ctx: GraphQLContext): Promise<AssetReference[]> {
    return caller(ctx).loaders.lists.references(asset.id);
  }

  @Authorized()
  @Mutation(() => [AssetReferenceObject], { description: "A resource was saved: its references become exactly this set" })
  setResourceReferences(
    @Arg("resourceType", () => ResourceTypeEnum, { description: "PROJECT, TEMPLATE or BATCH" }) resourceType: ResourceTypeEnum,
    @Arg("resourceId", () => ID, { description: "The resource's id in the system that owns it" }) resourceId: string,
    @Arg("references", () => [ReferenceInput], { description: "The resource's complete set of uses (replaces what it had)" }) references: ReferenceInput[],
    @Ctx() ctx: GraphQLContext,
  ): Promise<AssetReference[]> {
    return ctx.services.references.replace(caller(ctx).userId, resourceType, resourceId, references, changeContext(ctx));
  }

  @Authorized()
  @Mutation(() => Int, { description: "A resource was deleted: its references go; returns how many" })
  removeResourceReferences(
    @Arg("resourceType", () => ResourceTypeEnum, { description: "PROJECT, TEMPLATE or BATCH" }) resourceType: ResourceTypeEnum,
    @Arg("resourceId", () => ID, { description: "The resource's id in the system that owns it" }) resourceId: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<number> {
    return ctx.services.references.remove(caller(ctx).userId, resourceType, resourceId, changeContext(ctx));
  }

  @Authorized()
  @Mutation(() => AssetObject, { description: "Brings back a soft-deleted asset (until it is purged)" })
  restoreAsset(@Arg("id", () => ID, { description: "The asset's id" }) id: string, @Ctx() ctx: GraphQLContext): Promise<Asset> {
    return ctx.services.assets.restore(caller(ctx).userId, id, changeContext(ctx));
  }
}
