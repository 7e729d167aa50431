import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root, Subscription } from "type-graphql";
import type { ActivityPage } from "../../assets/activity/activity.service";
import type { AssetEvent } from "../../assets/activity/asset-event";
import type { Asset } from "../../assets/entities";
import { caller, type GraphQLContext } from "../context";
import { ActivityPageObject, AssetEventObject } from "../types/activity.type";
import { AssetObject } from "../types/asset.type";

interface AssetEventArgs {
  assetId?: string | null;
  folderId?: string | null;
}

/** The audit trail (a query and a field on Asset) and live events (a subscription over graphql-ws). */
@Resolver(() => AssetObject)
export class ActivityResolver {
  @Authorized()
  @Query(() => ActivityPageObject, { description: "The caller's audit trail, newest first: every asset, or one (also after it was purged)" })
  activityLog(
    @Ctx() ctx: GraphQLContext,
    @Arg("assetId", () => ID, { nullable: true, description: "Only this asset's history" }) assetId?: string,
    @Arg("limit", () => Int, { defaultValue: 50, description: "Entries per page, 1-200" }) limit?: number,
    @Arg("cursor", () => String, { nullable: true, description: "The previous page's nextCursor" }) cursor?: string,
  ): Promise<ActivityPage> {
    return ctx.services.activity.list(caller(ctx).userId, { assetId: assetId ?? undefined, limit, cursor });
  }

  @FieldResolver(() => ActivityPageObject, { description: "This asset's history, newest first" })
  activity(
    @Root() asset: Asset,
    @Ctx() ctx: GraphQLContext,
    @Arg("limit", () => Int, { defaultValue: 20, description: "Entries per page, 1-200" }) limit?: number,
    @Arg("cursor", () => String, { nullable: true, description: "The previous page's nextCursor" }) cursor?: string,
  ): Promise<ActivityPage> {
    return ctx.services.activity.list(caller(ctx).userId, { assetId: asset.id, limit, cursor });
  }

  @Authorized()
  @Subscription(() => AssetEventObject, {
    description:
      "Changes to the caller's assets as they commit, and processing progress: all of them, one asset's or one folder's. " +
      "Over WebSocket (graphql-transport-ws) at /graphql, with the bearer token as `Authorization` in connection_init's payload.",
    subscribe: ({ args, context }) => {
      const ctx = context as GraphQLContext;
      const { assetId, folderId } = args as AssetEventArgs;
      return ctx.services.activity.subscribe(caller(ctx).userId, { assetId, folderId });
    },
  })
  assetEvents(
    @Root() event: AssetEvent,
    @Arg("assetId", () => ID, { nullable: true, description: "Only this asset's events" }) _assetId?: string,
    @Arg("folderId", () => ID, { nullable: true, description: "Only events of assets in this folder (not its subfolders)" }) _folderId?: string,
  ): AssetEvent {
    return event;
  }
}
