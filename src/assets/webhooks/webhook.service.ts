import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { AppError, validationFailed } from "../../errors";
import { WEBHOOK_EVENT_TYPES } from "../activity/asset-event";
import { cleanDescription } from "../validation";
import { newWebhookSecret } from "./webhook-signature";
import { checkWebhookUrl } from "./webhook-target";
import {
  countEndpoints, deleteEndpoint, findOwnedEndpoint, insertEndpoint, listDeliveries, listEndpoints, saveEndpoint,
  type WebhookDelivery, type WebhookEndpoint,
} from "./webhook.repository";

export const MAX_ENDPOINTS_PER_USER = 20;
const MAX_DELIVERY_PAGE = 100;

export interface WebhookInput {
  url: string;
  description?: string | null;
  /** Activity types (`uploaded`, `ready`, …); empty or absent: all of them. */
  events?: string[] | null;
}

export interface WebhookChanges {
  url?: string;
  description?: string | null;
  events?: string[] | null;
  enabled?: boolean;
}

/** A user's webhook endpoints: register, read, change, remove, and read their delivery logs. */
export class WebhookService {
  constructor(
    private readonly db: DataSource,
    private readonly options: { allowPrivate: boolean },
  ) {}

  /** Registers an endpoint; the answer is the only time its signing secret is shown. */
  async create(userId: string, input: WebhookInput): Promise<WebhookEndpoint & { secret: string }> {
    const url = checkWebhookUrl(input.url, this.options.allowPrivate);
    const description = cleanDescription(input.description);
    const events = cleanEvents(input.events);
    const secret = newWebhookSecret();
    return this.db.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('webhooks:' || $1))`, [userId]);
      if ((await countEndpoints(m, userId)) >= MAX_ENDPOINTS_PER_USER) {
        throw new AppError("CONFLICT", `A user may register at most ${MAX_ENDPOINTS_PER_USER} webhook endpoints`, { max_endpoints: MAX_ENDPOINTS_PER_USER });
      }
      const endpoint = await insertEndpoint(m, { id: randomUUID(), userId, url, description, events, secret });
      return { ...endpoint, secret };
    });
  }

  list(userId: string): Promise<WebhookEndpoint[]> {
    return listEndpoints(this.db.manager, userId);
  }

  get(userId: string, endpointId: string): Promise<WebhookEndpoint> {
    return findOwnedEndpoint(this.db.manager, userId, endpointId);
  }

  /** Changes the target, description, events, or turns it on or off (on again: its failure count starts over). */
  async update(userId: string, endpointId: string, changes: WebhookChanges): Promise<WebhookEndpoint> {
    const url = changes.url === undefined ? undefined : checkWebhookUrl(changes.url, this.options.allowPrivate);
    const description = changes.description === undefined ? undefined : cleanDescription(changes.description);
    const events = changes.events === undefined ? undefined : cleanEvents(changes.events);
    if (changes.enabled !== undefined && typeof changes.enabled !== "boolean") throw validationFailed({ enabled: "must be true or false" });
    return this.db.transaction(async (m) => {
      const endpoint = await findOwnedEndpoint(m, userId, endpointId, true);
      return saveEndpoint(m, {
        ...endpoint,
        url: url ?? endpoint.url,
        description: description === undefined ? endpoint.description : description,
        events: events ?? endpoint.events,
        enabled: changes.enabled ?? endpoint.enabled,
      });
    });
  }

  /** Removes the endpoint with its delivery log; queued deliveries to it are dropped. */
  async delete(userId: string, endpointId: string): Promise<WebhookEndpoint> {
    return this.db.transaction(async (m) => {
      const endpoint = await findOwnedEndpoint(m, userId, endpointId, true);
      await deleteEndpoint(m, endpoint.id);
      return endpoint;
    });
  }

  /** The endpoint's deliveries, newest first, with every attempt's status, latency and error. */
  async deliveries(userId: string, endpointId: string, options: { limit?: number; cursor?: string | null } = {}): Promise<{ deliveries: WebhookDelivery[]; nextCursor: string | null }> {
    const limit = options.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DELIVERY_PAGE) throw validationFailed({ limit: `must be an integer from 1 to ${MAX_DELIVERY_PAGE}` });
    const endpoint = await findOwnedEndpoint(this.db.manager, userId, endpointId);
    const before = options.cursor ? decodeCursor(options.cursor) : undefined;
    const deliveries = await listDeliveries(this.db.manager, endpoint.id, { before, limit: limit + 1 });
    const more = deliveries.length > limit;
    if (more) deliveries.length = limit;
    const last = deliveries[deliveries.length - 1];
    return { deliveries, nextCursor: more ? Buffer.from(JSON.stringify([new Date(last.createdAt).toISOString(), last.id])).toString("base64url") : null };
  }
}

function cleanEvents(events: string[] | null | undefined): string[] {
  if (events === null || events === undefined) return [];
  if (!Array.isArray(events) || events.length > WEBHOOK_EVENT_TYPES.length) throw validationFailed({ events: "must be a list of event types" });
  const unknown = events.filter((e) => !(WEBHOOK_EVENT_TYPES as readonly string[]).includes(e));
  if (unknown.length > 0) throw validationFailed({ events: `unknown ${unknown.map(String).join(", ")}; known: ${WEBHOOK_EVENT_TYPES.join(", ")}` });
  return [...new Set(events)].sort();
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (typeof createdAt === "string" && !Number.isNaN(Date.parse(createdAt)) && typeof id === "string" && /^[0-9a-f-]{36}$/.test(id)) return { createdAt, id };
  } catch {
    // fall through
  }
  throw validationFailed({ cursor: "is not one this API gave out" });
}
