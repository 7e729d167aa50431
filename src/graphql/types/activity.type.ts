import { GraphQLJSONObject } from "graphql-scalars";
import { Field, Float, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { ASSET_EVENT_TYPES, type AssetEventType } from "../../assets/activity/asset-event";
import { enumOf } from "./asset.type";

export const AssetEventTypeEnum = enumOf(ASSET_EVENT_TYPES);
registerEnumType(AssetEventTypeEnum, {
  name: "AssetEventType",
  description:
    "What happened to an asset. PROCESSING is progress (live only, never kept); the rest are kept in the audit trail: " +
    "UPLOADED, READY, FAILED, UPDATED (renamed, described or moved), VERSION_ADDED, VERSION_DELETED (also when pruned), ROLLED_BACK, " +
    "TAGGED, UNTAGGED, DELETED (with the references a forced delete removed), RESTORED, PURGED, REFERENCES_CHANGED",
});

@ObjectType("ActivityEntry", { description: "One kept change to an asset: who, when, what, and the request that made it" })
export class ActivityEntryObject {
  @Field(() => ID, { description: "The entry's id; ids grow with time" })
  activityId: string;

  @Field(() => ID, { description: "The asset's id (the asset may since have been purged)" })
  assetId: string;

  @Field(() => ID, { nullable: true, description: "The asset's folder at the time" })
  folderId: string | null;

  @Field(() => AssetEventTypeEnum, { description: "What happened" })
  type: AssetEventType;

  @Field({ description: "Who did it: the user's id, or `system` (processing, purge)" })
  actor: string;

  @Field(() => String, { nullable: true, description: "The X-Request-Id of the request that made the change" })
  requestId: string | null;

  @Field(() => Int, { nullable: true, description: "The version concerned, where one is" })
  versionNumber: number | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "The fields that changed, as they were (snake_case)" })
  before: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "The fields that changed, as they became (snake_case)" })
  after: Record<string, unknown> | null;

  @Field({ description: "When it happened" })
  createdAt: Date;
}

@ObjectType("ActivityPage", { description: "A page of the audit trail, newest first" })
export class ActivityPageObject {
  @Field(() => [ActivityEntryObject], { description: "At most `limit` entries" })
  entries: ActivityEntryObject[];

  @Field(() => String, { nullable: true, description: "Pass as `cursor` for the next (older) page; null on the last" })
  nextCursor: string | null;
}

@ObjectType("AssetEvent", { description: "A change to one of the caller's assets, or processing progress, as it happens" })
export class AssetEventObject {
  @Field(() => ID, { nullable: true, description: "The audit entry's id; null for PROCESSING progress" })
  activityId: string | null;

  @Field(() => ID, { description: "The asset's id" })
  assetId: string;

  @Field(() => ID, { nullable: true, description: "The asset's folder" })
  folderId: string | null;

  @Field(() => AssetEventTypeEnum, { description: "What happened" })
  type: AssetEventType;

  @Field({ description: "Who did it: the user's id, or `system`" })
  actor: string;

  @Field(() => String, { nullable: true, description: "The X-Request-Id of the request that made the change" })
  requestId: string | null;

  @Field(() => Int, { nullable: true, description: "The version concerned, where one is" })
  versionNumber: number | null;

  @Field(() => Float, { nullable: true, description: "PROCESSING only: how far along, 0 to 1" })
  progress: number | null;

  @Field(() => String, { nullable: true, description: "PROCESSING only: what it is doing (started, clip, waveform, …)" })
  step: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "The fields that changed, as they were (null when too large to send live; the audit trail has them)" })
  before: Record<string, unknown> | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: "The fields that changed, as they became" })
  after: Record<string, unknown> | null;

  @Field({ description: "When it happened" })
  createdAt: Date;
}
