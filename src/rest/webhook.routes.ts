import { Router, json } from "express";
import { activityTypeOf, webhookEventType } from "../assets/activity/activity-json";
import type { WebhookDelivery, WebhookEndpoint } from "../assets/webhooks/webhook.repository";
import type { Services } from "../services";
import { EVENT_OPERATIONS as op } from "./contract/event-operations";
import { mount } from "./contract/route";
import { locals } from "./request-context";

/** /v1/webhooks…: endpoints and their delivery logs. Event names on the wire are `asset.<type>`. */
export function webhookRoutes(services: Services): Router {
  const router = Router();
  const { webhooks } = services;
  const body = json({ limit: "16kb" });
  const fromWire = (events: string[] | undefined) => events?.map(activityTypeOf);

  mount(router, op.listWebhooks, async (_req, res) => {
    res.json({ items: (await webhooks.list(locals(res).userId)).map(presentWebhook) });
  });

  mount(router, op.createWebhook, async (_req, res, { body: b }) => {
    const created = await webhooks.create(locals(res).userId, { url: b.url, description: b.description, events: fromWire(b.events) });
    res.status(201).json({ ...presentWebhook(created), secret: created.secret });
  }, body);

  mount(router, op.getWebhook, async (req, res) => {
    res.json(presentWebhook(await webhooks.get(locals(res).userId, req.params.id)));
  });

  mount(router, op.updateWebhook, async (req, res, { body: b }) => {
    const changed = await webhooks.update(locals(res).userId, req.params.id, { url: b.url, description: b.description, events: fromWire(b.events), enabled: b.enabled });
    res.json(presentWebhook(changed));
  }, body);

  mount(router, op.deleteWebhook, async (req, res) => {
    res.json(presentWebhook(await webhooks.delete(locals(res).userId, req.params.id)));
  });

  mount(router, op.listWebhookDeliveries, async (req, res, { query }) => {
    const page = await webhooks.deliveries(locals(res).userId, req.params.id, { limit: query.limit, cursor: query.cursor });
    res.json({ items: page.deliveries.map(presentDelivery), next_cursor: page.nextCursor });
  });

  return router;
}

function presentWebhook(w: WebhookEndpoint) {
  return {
    webhook_id: w.id,
    url: w.url,
    description: w.description,
    events: w.events.map(webhookEventType),
    enabled: w.enabled,
    disabled_reason: w.disabledReason,
    consecutive_failures: w.consecutiveFailures,
    created_at: new Date(w.createdAt).toISOString(),
    updated_at: new Date(w.updatedAt).toISOString(),
  };
}

function presentDelivery(d: WebhookDelivery) {
  return {
    delivery_id: d.id,
    activity_id: d.activityId,
    type: webhookEventType(d.eventType),
    status: d.status,
    attempts: d.attempts.map((a) => ({ attempt: a.attempt, status_code: a.statusCode, error: a.error, latency_ms: a.latencyMs, created_at: new Date(a.createdAt).toISOString() })),
    created_at: new Date(d.createdAt).toISOString(),
    finished_at: d.finishedAt ? new Date(d.finishedAt).toISOString() : null,
  };
}
