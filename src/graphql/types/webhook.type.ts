import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import type { AssetEventType } from "../../assets/activity/asset-event";
import { AssetEventTypeEnum } from "./activity.type";

@ObjectType("WebhookEndpoint", { description: "An endpoint that receives signed POSTs (Standard Webhooks) for the caller's asset events" })
export class WebhookEndpointObject {
  @Field(() => ID, { description: "The endpoint's id" })
  id: string;

  @Field({ description: "Where deliveries are POSTed" })
  url: string;

  @Field(() => String, { nullable: true, description: "Free text" })
  description: string | null;

  @Field(() => [AssetEventTypeEnum], { description: "The event types it receives; empty: all of them" })
  events: AssetEventType[];

  @Field({ description: "False when turned off, by the owner or after repeated failures (see disabledReason)" })
  enabled: boolean;

  @Field(() => String, { nullable: true, description: "Why it was disabled automatically" })
  disabledReason: string | null;

  @Field(() => Int, { description: "Deliveries in a row that failed every attempt" })
  consecutiveFailures: number;

  @Field({ description: "When it was registered" })
  createdAt: Date;

  @Field({ description: "When it was last changed" })
  updatedAt: Date;
}

@ObjectType("CreatedWebhookEndpoint", { description: "A new endpoint, with the secret its deliveries are signed with (shown only now)" })
export class CreatedWebhookEndpointObject extends WebhookEndpointObject {
  @Field({ description: "`whsec_` and base64: verify `webhook-signature` with it (Standard Webhooks)" })
  secret: string;
}

@ObjectType("WebhookAttempt", { description: "One try at delivering" })
export class WebhookAttemptObject {
  @Field(() => Int, { description: "1 for the first try" })
  attempt: number;

  @Field(() => Int, { nullable: true, description: "The receiver's HTTP status; null when none came" })
  statusCode: number | null;

  @Field(() => String, { nullable: true, description: "What went wrong before a status came (timeout, refused, blocked target)" })
  error: string | null;

  @Field(() => Int, { description: "Request to answer, in milliseconds" })
  latencyMs: number;

  @Field({ description: "When it was tried" })
  createdAt: Date;
}

@ObjectType("WebhookDelivery", { description: "One event for one endpoint; `id` is the `webhook-id` header, the same on every attempt" })
export class WebhookDeliveryObject {
  @Field(() => ID, { description: "The delivery's id (`webhook-id`)" })
  id: string;

  @Field(() => ID, { description: "The audit entry delivered" })
  activityId: string;

  @Field(() => AssetEventTypeEnum, { description: "The event's type" })
  eventType: AssetEventType;

  @Field({ description: "pending, succeeded, failed (every attempt failed) or skipped (the endpoint was off)" })
  status: string;

  @Field(() => [WebhookAttemptObject], { description: "Every attempt, in order" })
  attempts: WebhookAttemptObject[];

  @Field({ description: "When it was queued" })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: "When it succeeded or was given up" })
  finishedAt: Date | null;
}

@ObjectType("WebhookDeliveryPage", { description: "A page of an endpoint's delivery log, newest first" })
export class WebhookDeliveryPageObject {
  @Field(() => [WebhookDeliveryObject], { description: "At most `limit` deliveries" })
  deliveries: WebhookDeliveryObject[];

  @Field(() => String, { nullable: true, description: "Pass as `cursor` for the next page; null on the last" })
  nextCursor: string | null;
}

@InputType("CreateWebhookInput", { description: "A new webhook endpoint" })
export class CreateWebhookInput {
  @Field({ description: "http(s) URL; private, loopback and link-local targets are refused" })
  url: string;

  @Field(() => String, { nullable: true, description: "Free text" })
  description?: string | null;

  @Field(() => [AssetEventTypeEnum], { nullable: true, description: "Event types to receive; omitted or empty: all (PROCESSING is never sent)" })
  events?: AssetEventType[] | null;
}

@InputType("UpdateWebhookInput", { description: "What to change on an endpoint" })
export class UpdateWebhookInput {
  @Field(() => String, { nullable: true, description: "A new target" })
  url?: string | null;

  @Field(() => String, { nullable: true, description: "Free text" })
  description?: string | null;

  @Field(() => [AssetEventTypeEnum], { nullable: true, description: "Event types to receive; empty: all" })
  events?: AssetEventType[] | null;

  @Field(() => Boolean, { nullable: true, description: "Turn on or off; on again clears the failure count" })
  enabled?: boolean | null;
}
