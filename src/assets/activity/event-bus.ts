import { Client } from "pg";
import type { Logger } from "pino";
import type { AssetEvent } from "./asset-event";
import { ASSET_EVENTS_CHANNEL } from "./activity.repository";

export interface EventFilter {
  userId: string;
  assetId?: string;
  folderId?: string;
}

type Listener = (event: AssetEvent) => void;

/** Events a slow subscriber may have waiting; past it the oldest are dropped (it can read the audit trail). */
const MAX_QUEUED_EVENTS = 1_000;
const MAX_RECONNECT_DELAY_MS = 10_000;

/**
 * This process's ear on `asset_events`: one dedicated PostgreSQL connection that LISTENs, and
 * hands each committed change (and each progress note) to the local subscribers it concerns.
 * Any node's commit reaches every node's subscribers. A lost connection is re-opened with backoff;
 * events sent while it was down are not replayed (the audit trail has them).
 */
export class AssetEventBus {
  private client: Client | undefined;
  /** Subscriptions by owner: an event is matched only against its owner's, however many sockets are open. */
  private readonly listeners = new Map<string, Set<{ filter: EventFilter; listener: Listener }>>();
  private readonly generalListeners = new Set<Listener>();
  private closed = false;
  private reconnectDelay = 250;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly connectionString: string,
    private readonly log: Logger,
  ) {}

  start(): Promise<void> {
    this.ready ??= this.connect();
    return this.ready;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.connectionString, application_name: "asset-library-events", connectionTimeoutMillis: 5_000, keepAlive: true });
    client.on("notification", (message) => {
      if (message.channel !== ASSET_EVENTS_CHANNEL || !message.payload) return;
      let event: AssetEvent;
      try {
        event = JSON.parse(message.payload);
      } catch {
        return;
      }
      this.dispatch(event);
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.removeAllListeners("end");
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.log.warn({ err: error, retryInMs: this.reconnectDelay }, "event connection lost; reconnecting");
      const delay = this.reconnectDelay;
      this.reconnectDelay = Math.min(MAX_RECONNECT_DELAY_MS, this.reconnectDelay * 2);
      setTimeout(() => {
        if (!this.closed) this.connect().catch(() => lost());
      }, delay).unref();
    };
    client.on("error", lost);
    client.on("end", () => lost());
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${ASSET_EVENTS_CHANNEL}`);
      this.reconnectDelay = 250;
    } catch (error) {
      lost(error as Error);
      throw error;
    }
  }

  private dispatch(event: AssetEvent): void {
    for (const listener of this.generalListeners) listener(event);
    for (const { filter, listener } of this.listeners.get(event.userId) ?? []) {
      if (filter.assetId && event.assetId !== filter.assetId) continue;
      if (filter.folderId && event.folderId !== filter.folderId) continue;
      listener(event);
    }
  }

  /** Every event on this node, whoever it belongs to (the webhook dispatcher wakes on them). */
  onAny(listener: Listener): () => void {
    this.generalListeners.add(listener);
    return () => this.generalListeners.delete(listener);
  }

  /** The events that match `filter`, as an async iterator; `return()` unsubscribes. */
  stream(filter: EventFilter): AsyncIterableIterator<AssetEvent> {
    const queue: AssetEvent[] = [];
    let waiting: ((result: IteratorResult<AssetEvent>) => void) | undefined;
    let done = false;
    const entry = {
      filter,
      listener: (event: AssetEvent) => {
        if (waiting) {
          const resolve = waiting;
          waiting = undefined;
          resolve({ value: event, done: false });
          return;
        }
        queue.push(event);
        if (queue.length > MAX_QUEUED_EVENTS) queue.shift();
      },
    };
    const owners = this.listeners.get(filter.userId) ?? new Set();
    this.listeners.set(filter.userId, owners.add(entry));
    const finish = (): Promise<IteratorResult<AssetEvent>> => {
      done = true;
      owners.delete(entry);
      if (owners.size === 0 && this.listeners.get(filter.userId) === owners) this.listeners.delete(filter.userId);
      queue.length = 0;
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
      return Promise.resolve({ value: undefined, done: true });
    };
    return {
      next: () => {
        if (queue.length > 0) return Promise.resolve({ value: queue.shift()!, done: false });
        if (done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: finish,
      throw: async (error) => {
        await finish();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /** Subscribers on this node (for /metrics and tests). */
  get subscriberCount(): number {
    let count = 0;
    for (const owners of this.listeners.values()) count += owners.size;
    return count;
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    this.listeners.clear();
    await client?.end().catch(() => undefined);
  }
}
