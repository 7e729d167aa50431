import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from "type-graphql";
import type { WebhookDelivery, WebhookEndpoint } from "../../assets/webhooks/webhook.repository";
import { caller, type GraphQLContext } from "../context";
import {
  CreatedWebhookEndpointObject, CreateWebhookInput, UpdateWebhookInput, WebhookDeliveryPageObject, WebhookEndpointObject,
} from "../types/webhook.type";

/** Webhook endpoints and their delivery logs. */
@Resolver(() => WebhookEndpointObject)
export class WebhookResolver {
  @Authorized()
  @Query(() => [WebhookEndpointObject], { description: "The caller's webhook endpoints, oldest first" })
  webhooks(@Ctx() ctx: GraphQLContext): Promise<WebhookEndpoint[]> {
    return ctx.services.webhooks.list(caller(ctx).userId);
  }

  @Authorized()
  @Query(() => WebhookEndpointObject, { description: "One of the caller's webhook endpoints" })
  webhook(@Arg("id", () => ID, { description: "The endpoint's id" }) id: string, @Ctx() ctx: GraphQLContext): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.get(caller(ctx).userId, id);
  }

  @Authorized()
  @Query(() => WebhookDeliveryPageObject, { description: "An endpoint's delivery log, newest first, with every attempt" })
  webhookDeliveries(
    @Arg("id", () => ID, { description: "The endpoint's id" }) id: string,
    @Ctx() ctx: GraphQLContext,
    @Arg("limit", () => Int, { defaultValue: 50, description: "Deliveries per page, 1-100" }) limit?: number,
    @Arg("cursor", () => String, { nullable: true, description: "The previous page's nextCursor" }) cursor?: string,
  ): Promise<{ deliveries: WebhookDelivery[]; nextCursor: string | null }> {
    return ctx.services.webhooks.deliveries(caller(ctx).userId, id, { limit, cursor });
  }

  @Authorized()
  @Mutation(() => CreatedWebhookEndpointObject, { description: "Registers an endpoint; the answer carries its signing secret, shown only this once" })
  createWebhook(@Arg("input", () => CreateWebhookInput, { description: "Target and event filter" }) input: CreateWebhookInput, @Ctx() ctx: GraphQLContext) {
    return ctx.services.webhooks.create(caller(ctx).userId, { url: input.url, description: input.description, events: input.events });
  }

  @Authorized()
  @Mutation(() => WebhookEndpointObject, { description: "Changes an endpoint's target, description or events, or turns it on or off" })
  updateWebhook(
    @Arg("id", () => ID, { description: "The endpoint's id" }) id: string,
    @Arg("input", () => UpdateWebhookInput, { description: "What to change" }) input: UpdateWebhookInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.update(caller(ctx).userId, id, {
      url: input.url ?? undefined,
      description: input.description,
      events: input.events ?? undefined,
      enabled: input.enabled ?? undefined,
    });
  }

  @Authorized()
  @Mutation(() => WebhookEndpointObject, { description: "Removes an endpoint with its delivery log" })
  deleteWebhook(@Arg("id", () => ID, { description: "The endpoint's id" }) id: string, @Ctx() ctx: GraphQLContext): Promise<WebhookEndpoint> {
    return ctx.services.webhooks.delete(caller(ctx).userId, id);
  }
}
