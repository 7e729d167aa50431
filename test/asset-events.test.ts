import { expect } from "chai";
import path from "node:path";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { FIXTURES, api, gql, newUser, settled, uploadRest, type TestUser } from "./helpers";
import { startServiceProcess, type ServiceProcess } from "./service-process";
import { testService } from "./setup";

const SUBSCRIPTION = `subscription Events($assetId: ID, $folderId: ID) {
  assetEvents(assetId: $assetId, folderId: $folderId) { activityId assetId folderId type actor requestId versionNumber progress step after createdAt }
}`;

interface Socket {
  client: Client;
  events: any[];
  errors: unknown[];
  closed: Promise<{ code: number }>;
  stop(): Promise<void>;
}

/** A real graphql-ws client on the test service's /graphql, subscribed to assetEvents. */
function subscribe(token: string | undefined, variables: Record<string, unknown> = {}, connectionParams?: Record<string, unknown>): Socket {
  let closedWith!: (event: { code: number }) => void;
  const closed = new Promise<{ code: number }>((resolve) => (closedWith = resolve));
  const client = createClient({
    url: `${testService().baseUrl.replace("http", "ws")}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: connectionParams ?? (token ? { Authorization: `Bearer ${token}` } : {}),
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: { closed: (event) => closedWith(event as { code: number }) },
  });
  const events: any[] = [];
  const errors: unknown[] = [];
  const unsubscribe = client.subscribe({ query: SUBSCRIPTION, variables }, { next: (m) => (m.errors ? errors.push(m.errors) : events.push(m.data!.assetEvents)), error: (e) => errors.push(e), complete: () => undefined });
  return {
    client,
    events,
    errors,
    closed,
    async stop() {
      unsubscribe();
      await client.dispose();
    },
  };
}

/** The server registers a subscription when its subscribe message arrives: wait until this node has it. */
async function subscribed(count: number): Promise<void> {
  const bus = (testService().runtime.services.activity as any).bus;
  const deadline = Date.now() + 5_000;
  while (bus.subscriberCount < count) {
    if (Date.now() > deadline) throw new Error(`only ${bus.subscriberCount} subscribers`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("live asset events (GraphQL subscriptions over graphql-ws)", function () {
  this.timeout(120_000);
  let second: ServiceProcess;

  before(async function () {
    this.timeout(120_000);
    // A second API node on the same database and storage; it runs no workers of its own.
    second = await startServiceProcess({ DATABASE_URL: testService().runtime.database.url, ...testService().storageEnv, WORKER_CONCURRENCY: "0" });
  });

  after(async () => {
    await second?.stop();
  });

  it("delivers uploaded, progress and ready in order for an upload made through another API node, and nothing to another user", async () => {
    const a = await newUser();
    const b = await newUser();
    const mine = subscribe(a.token);
    const theirs = subscribe(b.token);
    await subscribed(2);
    try {
      const form = new FormData();
      form.append("file", await (await import("node:fs/promises")).readFile(path.join(FIXTURES, "video/mov-h264-no-audio-640x360-29.97.mov")).then((b) => new Blob([new Uint8Array(b)])), "clip.mov");
      const response = await fetch(`${second.baseUrl}/v1/assets/upload`, { method: "POST", headers: a.auth, body: form });
      expect(response.status).to.equal(201);
      const assetId = (await response.json()).asset_id;
      const requestId = response.headers.get("x-request-id");
      await until(() => mine.events.some((e) => e.assetId === assetId && e.type === "READY"), "ready");
      const types = mine.events.filter((e) => e.assetId === assetId).map((e) => e.type);
      expect(types[0]).to.equal("UPLOADED");
      expect(types[types.length - 1]).to.equal("READY");
      const progress = mine.events.filter((e) => e.type === "PROCESSING");
      expect(progress.length).to.be.at.least(2);
      expect(types.indexOf("PROCESSING")).to.be.greaterThan(types.indexOf("UPLOADED"));
      // Progress only grows; the clip step reports ffmpeg's own progress.
      const fractions = progress.map((e) => e.progress);
      expect(fractions).to.deep.equal([...fractions].sort((x, y) => x - y));
      expect(progress.map((e) => e.step)).to.include("clip");
      const uploaded = mine.events.find((e) => e.type === "UPLOADED");
      expect(uploaded.actor).to.equal(a.userId);
      expect(uploaded.requestId).to.equal(requestId);
      expect(uploaded.activityId).to.be.a("string");
      expect(mine.events.find((e) => e.type === "READY").actor).to.equal("system");
      expect(theirs.events).to.deep.equal([]);
      expect(mine.errors).to.deep.equal([]);
    } finally {
      await mine.stop();
      await theirs.stop();
    }
  });

  it("filters by asset and by folder, and refuses another user's asset as NOT_FOUND", async () => {
    const a = await newUser();
    const folder = (await api(a, "POST", "/v1/assets/folders", { name: "events" })).body.folder_id;
    const inFolder = (await uploadRest(a, path.join(FIXTURES, "image/gif-static-200x133.gif"), { folder_id: folder })).body.asset_id;
    const outside = (await uploadRest(a, path.join(FIXTURES, "image/jpg-grayscale-1-component.jpg"))).body.asset_id;
    await settled(a, inFolder);
    await settled(a, outside);
    const byAsset = subscribe(a.token, { assetId: outside });
    const byFolder = subscribe(a.token, { folderId: folder });
    const stranger = await newUser();
    const foreign = subscribe(stranger.token, { assetId: outside });
    await subscribed(2);
    await until(() => foreign.errors.length > 0, "the stranger's refusal", 10_000);
    try {
      await api(a, "PUT", `/v1/assets/${inFolder}`, { name: "renamed in folder" });
      await api(a, "PUT", `/v1/assets/${outside}`, { name: "renamed outside" });
      await until(() => byAsset.events.length > 0 && byFolder.events.length > 0, "both updates");
      expect(byAsset.events.map((e) => [e.assetId, e.type, e.after])).to.deep.equal([[outside, "UPDATED", { name: "renamed outside" }]]);
      expect(byFolder.events.map((e) => [e.assetId, e.type, e.folderId])).to.deep.equal([[inFolder, "UPDATED", folder]]);
      expect(JSON.stringify(foreign.errors)).to.include("NOT_FOUND");
    } finally {
      await byAsset.stop();
      await byFolder.stop();
      await foreign.stop();
    }
  });

  it("closes sockets without a valid token with 4403, accepts GraphiQL's per-operation headers, and applies the query limits", async () => {
    const forged = subscribe("not-a-token");
    expect((await forged.closed).code).to.equal(4403);
    const anonymous = subscribe(undefined);
    expect((await anonymous.closed).code).to.equal(4403);

    const a = await newUser();
    // GraphiQL sends no connection_init token but puts its headers in each operation's extensions.
    const graphiqlStyle = createClient({ url: `${testService().baseUrl.replace("http", "ws")}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
    const received: any[] = [];
    const asset = (await uploadRest(a, path.join(FIXTURES, "image/gif-static-200x133.gif"))).body.asset_id;
    await settled(a, asset);
    const stop = graphiqlStyle.subscribe({ query: SUBSCRIPTION, variables: { assetId: asset }, extensions: { headers: a.auth } }, { next: (m) => received.push(m), error: (e) => received.push({ error: e }), complete: () => undefined });
    await subscribed(1);
    await api(a, "PUT", `/v1/assets/${asset}`, { description: "seen live" });
    await until(() => received.length > 0, "the event");
    expect(received[0].data.assetEvents.type).to.equal("UPDATED");
    stop();

    // The same depth limit as on HTTP, and only subscriptions travel here.
    const errors: any[] = [];
    const limited = subscribe(a.token);
    const deep = `subscription { assetEvents { ${"a: assetId ".repeat(25)} } }`;
    await new Promise<void>((resolve) => limited.client.subscribe({ query: deep }, { next: () => undefined, error: (e) => (errors.push(e), resolve()), complete: resolve }));
    await new Promise<void>((resolve) => limited.client.subscribe({ query: "{ tags { id } }" }, { next: () => undefined, error: (e) => (errors.push(e), resolve()), complete: resolve }));
    expect(JSON.stringify(errors[0])).to.include("QUERY_TOO_COMPLEX");
    expect(JSON.stringify(errors[1])).to.include("Only subscriptions");
    await limited.stop();
    await graphiqlStyle.dispose();
  });
});

export type { TestUser };
