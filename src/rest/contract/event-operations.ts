import { ASSET_EVENT_TYPES, WEBHOOK_EVENT_TYPES } from "../../assets/activity/asset-event";
import { webhookEventType } from "../../assets/activity/activity-json";
import { MAX_ACTIVITY_PAGE } from "../../assets/activity/activity.service";
import { defineOperations, ok } from "./operation";
import { AssetParams } from "./requests";
import { json, time, uuid } from "./schemas";
import { z } from "./zod";

/** The audit trail and webhooks: their requests, answers and operations. */

const cursor = z.string().optional().openapi({ description: "The previous page's next_cursor" });

export const WEBHOOK_EVENT_NAMES = WEBHOOK_EVENT_TYPES.map(webhookEventType) as [string, ...string[]];

export const ActivityQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_ACTIVITY_PAGE).optional().openapi({ description: `Entries per page, 1 to ${MAX_ACTIVITY_PAGE} (default 50)` }),
  cursor,
});
export const WebhookParams = z.object({ id: z.string().openapi({ description: "The webhook endpoint's id (a UUID)" }) });
export const DeliveryQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).optional().openapi({ description: "Deliveries per page, 1 to 100 (default 50)" }),
  cursor,
});
const events = z.array(z.enum(WEBHOOK_EVENT_NAMES)).openapi({ description: "Event types to receive; empty or absent: every one" });
export const WebhookCreation = z
  .object({ url: z.string().openapi({ description: "http(s) URL; loopback, link-local and private targets are refused" }), description: z.string().nullable().optional(), events: events.optional() })
  .openapi("WebhookCreation");
export const WebhookChange = z
  .object({ url: z.string().optional(), description: z.string().nullable().optional(), events: events.optional(), enabled: z.boolean().optional().openapi({ description: "On again clears the failure count" }) })
  .openapi("WebhookChange");

export const ActivityEntry = z
  .strictObject({
    activity_id: z.string().openapi({ description: "Grows with time" }),
    asset_id: uuid,
    folder_id: uuid.nullable(),
    type: z.enum(ASSET_EVENT_TYPES),
    actor: z.string().openapi({ description: "The user's id, or `system` (processing, purge)" }),
    request_id: z.string().nullable().openapi({ description: "The X-Request-Id of the request that made the change" }),
    version_number: z.number().int().nullable(),
    before: json.nullable().openapi({ description: "The fields that changed, as they were" }),
    after: json.nullable().openapi({ description: "The fields that changed, as they became" }),
    created_at: time,
  })
  .openapi("ActivityEntry");
export const ActivityPage = z.strictObject({ items: z.array(ActivityEntry), next_cursor: z.string().nullable() }).openapi("ActivityPage");

export const Webhook = z
  .strictObject({
    webhook_id: uuid,
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.enum(WEBHOOK_EVENT_NAMES)),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable().openapi({ description: "Why it was disabled automatically" }),
    consecutive_failures: z.number().int().openapi({ description: "Deliveries in a row that failed every attempt" }),
    created_at: time,
    updated_at: time,
  })
  .openapi("Webhook");
// A fresh object, not Webhook.extend: the generator would write allOf of two closed objects, which no body satisfies.
export const CreatedWebhook = z.strictObject({ ...Webhook.shape, secret: z.string().openapi({ description: "whsec_…: verifies webhook-signature (Standard Webhooks); shown only now" }) }).openapi("CreatedWebhook");
export const WebhookList = z.strictObject({ items: z.array(Webhook) }).openapi("WebhookList");
const Attempt = z.strictObject({ attempt: z.number().int(), status_code: z.number().int().nullable(), error: z.string().nullable(), latency_ms: z.number().int(), created_at: time });
export const DeliveryPage = z
  .strictObject({
    items: z.array(
      z.strictObject({
        delivery_id: uuid.openapi({ description: "The webhook-id header, the same on every attempt" }),
        activity_id: z.string(),
        type: z.enum(WEBHOOK_EVENT_NAMES),
        status: z.enum(["pending", "succeeded", "failed", "skipped"]),
        attempts: z.array(Attempt),
        created_at: time,
        finished_at: time.nullable(),
      }),
    ),
    next_cursor: z.string().nullable(),
  })
  .openapi("WebhookDeliveryPage");

export const EVENT_OPERATIONS = defineOperations({
  listActivity: {
    operationId: "listActivity", method: "get", path: "/v1/activity", tag: "Activity",
    summary: "The caller's audit trail, newest first", query: ActivityQuery,
    answers: { 200: ok("A page of entries", ActivityPage) },
    errors: [],
  },
  getAssetActivity: {
    operationId: "getAssetActivity", method: "get", path: "/v1/assets/{id}/activity", tag: "Activity",
    summary: "One asset's history, newest first (also after it was purged)", params: AssetParams, query: ActivityQuery,
    answers: { 200: ok("A page of entries", ActivityPage) },
    errors: ["NOT_FOUND"],
  },
  listWebhooks: {
    operationId: "listWebhooks", method: "get", path: "/v1/webhooks", tag: "Webhooks",
    summary: "The caller's webhook endpoints",
    answers: { 200: ok("The endpoints, oldest first", WebhookList) },
    errors: [],
  },
  createWebhook: {
    operationId: "createWebhook", method: "post", path: "/v1/webhooks", tag: "Webhooks",
    summary: "Register a webhook endpoint",
    description: "Deliveries are POSTed as `{type, timestamp, data}` with Standard Webhooks headers (webhook-id, webhook-timestamp, webhook-signature); retried with exponential backoff; the endpoint is disabled after repeated failure.",
    body: WebhookCreation,
    answers: { 201: ok("The endpoint, with its secret (shown only now)", CreatedWebhook) },
    errors: ["CONFLICT"],
  },
  getWebhook: {
    operationId: "getWebhook", method: "get", path: "/v1/webhooks/{id}", tag: "Webhooks",
    summary: "One webhook endpoint", params: WebhookParams,
    answers: { 200: ok("The endpoint", Webhook) },
    errors: ["NOT_FOUND"],
  },
  updateWebhook: {
    operationId: "updateWebhook", method: "patch", path: "/v1/webhooks/{id}", tag: "Webhooks",
    summary: "Change a webhook endpoint, or turn it on or off", params: WebhookParams, body: WebhookChange,
    answers: { 200: ok("The changed endpoint", Webhook) },
    errors: ["NOT_FOUND"],
  },
  deleteWebhook: {
    operationId: "deleteWebhook", method: "delete", path: "/v1/webhooks/{id}", tag: "Webhooks",
    summary: "Remove a webhook endpoint and its delivery log", params: WebhookParams,
    answers: { 200: ok("The removed endpoint", Webhook) },
    errors: ["NOT_FOUND"],
  },
  listWebhookDeliveries: {
    operationId: "listWebhookDeliveries", method: "get", path: "/v1/webhooks/{id}/deliveries", tag: "Webhooks",
    summary: "An endpoint's delivery log, newest first, with every attempt", params: WebhookParams, query: DeliveryQuery,
    answers: { 200: ok("A page of deliveries", DeliveryPage) },
    errors: ["NOT_FOUND"],
  },
});
