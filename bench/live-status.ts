import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

/**
 * Waits for assets to finish processing the way a frontend does since issue 14: one graphql-ws
 * subscription to the caller's events instead of polling each asset (the polling GETs loaded the
 * service during the very time being measured).
 */
/** One graphql-ws client on the service's /graphql, subscribed to the caller's `assetEvents` with `fields`. */
export function assetEventsClient<T>(baseUrl: string, token: string, fields: string, onEvent: (event: T) => unknown): Client {
  const client = createClient({ url: `${baseUrl.replace("http", "ws")}/graphql`, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${token}` }, lazy: false, retryAttempts: 0 });
  client.subscribe(
    { query: `subscription { assetEvents { ${fields} } }` },
    {
      next: (message) => {
        const event = (message.data as { assetEvents: T } | undefined)?.assetEvents;
        if (event) onEvent(event);
      },
      error: (error) => console.error("assetEvents subscription failed", error),
      complete: () => undefined,
    },
  );
  return client;
}

export function processingOutcomes(baseUrl: string, token: string) {
  const outcomes = new Map<string, "READY" | "FAILED">();
  let changed: () => void = () => undefined;
  const client = assetEventsClient<{ type: string; assetId: string }>(baseUrl, token, "type assetId", (event) => {
    if (event.type === "READY" || event.type === "FAILED") {
      outcomes.set(event.assetId, event.type);
      changed();
    }
  });
  return {
    /** Resolves when every asset is ready; throws if one failed or the deadline passes. */
    async allReady(ids: string[], timeoutMs = 300_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!ids.every((id) => outcomes.has(id))) {
        if (Date.now() > deadline) throw new Error(`only ${ids.filter((id) => outcomes.has(id)).length} of ${ids.length} assets finished`);
        await new Promise<void>((resolve) => {
          changed = resolve;
          setTimeout(resolve, 1000);
        });
      }
      const failed = ids.filter((id) => outcomes.get(id) === "FAILED");
      if (failed.length > 0) throw new Error(`assets ${failed.join(", ")} failed`);
    },
    dispose: () => client.dispose(),
  };
}
