import { expect } from "chai";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import pino from "pino";
import { insertDeliveries } from "../src/assets/webhooks/delivery.repository";
import { insertEndpoint } from "../src/assets/webhooks/webhook.repository";
import { WebhookSender } from "../src/assets/webhooks/webhook-sender";
import { WebhookService } from "../src/assets/webhooks/webhook.service";
import { checkWebhookUrl, guardedLookup } from "../src/assets/webhooks/webhook-target";
import { AppError } from "../src/errors";
import { FIXTURES, api, eventually, gql, newUser, settled, uploadRest, type TestUser } from "./helpers";
import { testService } from "./setup";

// The package receivers use to check Standard Webhooks signatures (CommonJS, no types of its own for require).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Webhook } = require("standardwebhooks") as { Webhook: new (secret: string) => { verify(body: string, headers: Record<string, string>): unknown } };

const db = () => testService().runtime.services.db;

interface Received {
  id: string;
  headers: Record<string, string>;
  body: string;
  path: string;
  answered: number;
}

/** A webhook receiver on loopback: logs every request and answers what `answer` says. */
async function receiver(answer: (request: Omit<Received, "answered">, seenBefore: number) => { status: number; headers?: Record<string, string> }) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      const request = { id: headers["webhook-id"], headers, body: Buffer.concat(chunks).toString("utf8"), path: req.url ?? "/" };
      const { status, headers: extra } = answer(request, received.filter((r) => r.id === request.id).length);
      received.push({ ...request, answered: status });
      res.writeHead(status, extra).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The events a receiver processed, deduplicated on webhook-id the way the convention asks receivers to. */
function processed(received: Received[]) {
  const byId = new Map<string, any>();
  for (const r of received) if (r.answered < 300 && !byId.has(r.id)) byId.set(r.id, JSON.parse(r.body));
  return [...byId.values()];
}

async function createHook(user: TestUser, body: Record<string, unknown>) {
  const created = await api(user, "POST", "/v1/webhooks", body);
  expect(created.status, JSON.stringify(created.body)).to.equal(201);
  return created.body;
}

async function deliveries(user: TestUser, webhookId: string): Promise<any[]> {
  const page = await api(user, "GET", `/v1/webhooks/${webhookId}/deliveries?limit=100`);
  expect(page.status).to.equal(200);
  return page.body.items;
}

describe("webhooks", function () {
  this.timeout(120_000);

  it("delivers every event signed, exactly once through a receiver outage, to each endpoint its filter allows, and logs each attempt", async () => {
    const a = await newUser();
    // The receiver is down for each event's first two tries (503), then takes it.
    const hooks = await receiver((_request, seenBefore) => ({ status: seenBefore < 2 ? 503 : 204 }));
    const deletions = await receiver(() => ({ status: 200 }));
    // Another node started with other settings (pg-boss keeps one per queue, the last node's): a
    // minute between tries and none after the first. Jobs this node queues keep its own policy.
    const [queueSettings] = await db().query(`SELECT retry_limit, retry_delay FROM pgboss.queue WHERE name = 'webhook-deliveries'`);
    await db().query(`UPDATE pgboss.queue SET retry_limit = 0, retry_delay = 60 WHERE name = 'webhook-deliveries'`);
    try {
      const all = await createHook(a, { url: `${hooks.url}/all`, description: "everything" });
      expect(all.secret).to.match(/^whsec_[A-Za-z0-9+/=]+$/);
      expect(all.events).to.deep.equal([]);
      const onlyDeleted = await createHook(a, { url: `${deletions.url}/deleted`, events: ["asset.deleted"] });
      expect(onlyDeleted.events).to.deep.equal(["asset.deleted"]);

      const upload = await uploadRest(a, path.join(FIXTURES, "image/gif-static-200x133.gif"));
      const assetId = upload.body.asset_id;
      await settled(a, assetId);
      await api(a, "PUT", `/v1/assets/${assetId}`, { name: "Hooked" });
      await api(a, "DELETE", `/v1/assets/${assetId}`);
      const trail = (await api(a, "GET", "/v1/activity?limit=100")).body.items.reverse();
      expect(trail.map((e: any) => e.type)).to.deep.equal(["uploaded", "ready", "updated", "deleted"]);

      await eventually(async () => expect(processed(hooks.received)).to.have.length(4), 60_000);
      await eventually(async () => expect(processed(deletions.received)).to.have.length(1), 20_000);
      // Every event once, in the trail's shape, under its asset.<type> name.
      const events = processed(hooks.received).sort((x, y) => Number(x.data.activity_id) - Number(y.data.activity_id));
      expect(events.map((e) => e.type)).to.deep.equal(["asset.uploaded", "asset.ready", "asset.updated", "asset.deleted"]);
      expect(events.map((e) => e.data)).to.deep.equal(trail);
      expect(events[0].data).to.include({ asset_id: assetId, actor: a.userId, request_id: upload.headers.get("x-request-id") });
      expect(processed(deletions.received).map((e) => e.type)).to.deep.equal(["asset.deleted"]);
      // Each event was tried three times under one webhook-id, and taken only once.
      const ids = [...new Set(hooks.received.map((r) => r.id))];
      expect(ids).to.have.length(4);
      for (const id of ids) expect(hooks.received.filter((r) => r.id === id).map((r) => r.answered)).to.deep.equal([503, 503, 204]);

      // Every request carries a valid signature by the endpoint's secret, and a changed body fails it.
      const verifier = new Webhook(all.secret);
      for (const r of hooks.received) {
        expect(r.headers["content-type"]).to.equal("application/json");
        expect(Number(r.headers["webhook-timestamp"])).to.be.within(Date.now() / 1000 - 120, Date.now() / 1000 + 5);
        expect(r.headers["webhook-signature"]).to.match(/^v1,[A-Za-z0-9+/=]+$/);
        expect(verifier.verify(r.body, r.headers)).to.deep.equal(JSON.parse(r.body));
      }
      const sample = hooks.received[0];
      expect(() => verifier.verify(sample.body.replace("asset.", "assets."), sample.headers)).to.throw();
      expect(() => new Webhook(onlyDeleted.secret).verify(sample.body, sample.headers)).to.throw();

      // The delivery log: one entry per event with every attempt, newest first.
      const log = await deliveries(a, all.webhook_id);
      expect(log.map((d) => d.type)).to.deep.equal(["asset.deleted", "asset.updated", "asset.ready", "asset.uploaded"]);
      expect(new Set(log.map((d) => d.delivery_id))).to.deep.equal(new Set(ids));
      for (const d of log) {
        expect(d.status).to.equal("succeeded");
        expect(d.finished_at).to.be.a("string");
        expect(d.attempts.map((t: any) => [t.attempt, t.status_code, t.error])).to.deep.equal([[1, 503, null], [2, 503, null], [3, 204, null]]);
        expect(d.attempts.every((t: any) => Number.isInteger(t.latency_ms) && t.latency_ms >= 0)).to.equal(true);
      }
      const endpoint = (await api(a, "GET", `/v1/webhooks/${all.webhook_id}`)).body;
      expect(endpoint).to.include({ enabled: true, consecutive_failures: 0 });
      expect(endpoint).to.not.have.property("secret");
      // Nothing arrives twice afterwards (no late retry of a delivered event).
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(hooks.received).to.have.length(12);
    } finally {
      await db().query(`UPDATE pgboss.queue SET retry_limit = $1, retry_delay = $2 WHERE name = 'webhook-deliveries'`, [queueSettings.retry_limit, queueSettings.retry_delay]);
      await hooks.close();
      await deletions.close();
    }
  });

  it("counts a redirect as a failure without following it, and disables an endpoint after repeated failed deliveries", async () => {
    const user = await newUser();
    const elsewhere = await receiver(() => ({ status: 200 }));
    const redirecting = await receiver(() => ({ status: 302, headers: { location: `${elsewhere.url}/followed` } }));
    try {
      const hook = await createHook(user, { url: redirecting.url, events: ["asset.uploaded", "asset.updated"] });
      const upload = await uploadRest(user, path.join(FIXTURES, "image/gif-static-200x133.gif"));
      await api(user, "PUT", `/v1/assets/${upload.body.asset_id}`, { name: "Redirected" });
      // setup.ts: 4 attempts each, and WEBHOOK_DISABLE_AFTER_FAILURES=2.
      await eventually(async () => {
        const log = await deliveries(user, hook.webhook_id);
        expect(log.map((d) => d.status)).to.deep.equal(["failed", "failed"]);
      }, 90_000);
      const log = await deliveries(user, hook.webhook_id);
      for (const d of log) expect(d.attempts.map((t: any) => t.status_code)).to.deep.equal([302, 302, 302, 302]);
      expect(elsewhere.received).to.deep.equal([]);
      const endpoint = (await api(user, "GET", `/v1/webhooks/${hook.webhook_id}`)).body;
      expect(endpoint).to.include({ enabled: false, consecutive_failures: 2 });
      expect(endpoint.disabled_reason).to.match(/failed/i);

      // A disabled endpoint gets nothing new; turned on again it starts over.
      await api(user, "PUT", `/v1/assets/${upload.body.asset_id}`, { name: "While disabled" });
      const before = redirecting.received.length;
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(redirecting.received).to.have.length(before);
      expect(await deliveries(user, hook.webhook_id)).to.have.length(2);
      const again = await api(user, "PATCH", `/v1/webhooks/${hook.webhook_id}`, { enabled: true });
      expect(again.body).to.include({ enabled: true, consecutive_failures: 0, disabled_reason: null });
    } finally {
      await elsewhere.close();
      await redirecting.close();
    }
  });

  it("a delivery that fails its last attempt counts against the endpoint; a disabled endpoint's queued delivery is skipped", async () => {
    const user = await newUser();
    let answer = 500;
    const down = await receiver(() => ({ status: answer }));
    try {
      // An endpoint whose filter the dispatcher never matches, so only this test sends to it.
      const hook = await createHook(user, { url: down.url, events: ["asset.purged"] });
      const deliveryIds = [randomUUID(), randomUUID()];
      await insertDeliveries(db().manager, deliveryIds.map((id, i) => ({ id, endpointId: hook.webhook_id, activityId: String(900_000_000 + i), eventType: "purged", body: JSON.stringify({ type: "asset.purged", n: i }) })));
      const sender = new WebhookSender(db(), { allowPrivate: true, timeoutMs: 2000, disableAfterFailures: 1 }, pino({ level: "silent" }));
      // Not its last try: pg-boss is asked to retry (the sender throws), the endpoint keeps its count.
      let retried: unknown;
      await sender.handle({ id: deliveryIds[0], data: { deliveryId: deliveryIds[0] }, retryCount: 0, retryLimit: 1 }).catch((error) => (retried = error));
      expect(String(retried)).to.match(/HTTP 500/);
      expect((await api(user, "GET", `/v1/webhooks/${hook.webhook_id}`)).body).to.include({ enabled: true, consecutive_failures: 0 });
      await sender.handle({ id: deliveryIds[0], data: { deliveryId: deliveryIds[0] }, retryCount: 1, retryLimit: 1 });
      expect((await api(user, "GET", `/v1/webhooks/${hook.webhook_id}`)).body).to.include({ enabled: false, consecutive_failures: 1 });
      await sender.handle({ id: deliveryIds[1], data: { deliveryId: deliveryIds[1] }, retryCount: 0, retryLimit: 1 });
      const log = await deliveries(user, hook.webhook_id);
      const byId = Object.fromEntries(log.map((d) => [d.delivery_id, d]));
      expect(byId[deliveryIds[0]].status).to.equal("failed");
      expect(byId[deliveryIds[0]].attempts.map((t: any) => t.status_code)).to.deep.equal([500, 500]);
      expect(byId[deliveryIds[1]]).to.deep.include({ status: "skipped", attempts: [] });
      expect(down.received).to.have.length(2);

      // Turned on again: a failed delivery counts one, a delivered one ends the run of failures.
      await api(user, "PATCH", `/v1/webhooks/${hook.webhook_id}`, { enabled: true });
      const [failing, succeeding] = [randomUUID(), randomUUID()];
      await insertDeliveries(db().manager, [failing, succeeding].map((id, i) => ({ id, endpointId: hook.webhook_id, activityId: String(900_000_010 + i), eventType: "purged", body: "{}" })));
      const patient = new WebhookSender(db(), { allowPrivate: true, timeoutMs: 2000, disableAfterFailures: 5 }, pino({ level: "silent" }));
      await patient.handle({ id: failing, data: { deliveryId: failing }, retryCount: 0, retryLimit: 0 });
      expect((await api(user, "GET", `/v1/webhooks/${hook.webhook_id}`)).body).to.include({ enabled: true, consecutive_failures: 1 });
      answer = 204;
      await patient.handle({ id: succeeding, data: { deliveryId: succeeding }, retryCount: 0, retryLimit: 0 });
      expect((await api(user, "GET", `/v1/webhooks/${hook.webhook_id}`)).body).to.include({ enabled: true, consecutive_failures: 0 });
      const delivered = (await deliveries(user, hook.webhook_id)).find((d) => d.delivery_id === succeeding);
      expect(delivered.status).to.equal("succeeded");
      expect(delivered.attempts.map((t: any) => t.status_code)).to.deep.equal([204]);
    } finally {
      await down.close();
    }
  });

  it("refuses private, loopback and link-local targets unless allowed, at registration and at connect time", async () => {
    for (const url of [
      "http://127.0.0.1/hook", "http://localhost:8080/", "http://api.localhost/", "http://[::1]/", "http://169.254.169.254/latest/meta-data",
      "http://10.1.2.3/", "http://192.168.0.10/", "http://172.20.0.1/", "http://[::ffff:127.0.0.1]/", "http://[fe80::1]/", "http://0.0.0.0/",
      "ftp://example.com/", "http://user:pw@example.com/", "not a url",
    ]) {
      expect(() => checkWebhookUrl(url, false), url).to.throw(AppError).with.property("code", "VALIDATION_FAILED");
    }
    expect(checkWebhookUrl("https://hooks.example.com/in?x=1", false)).to.equal("https://hooks.example.com/in?x=1");
    expect(checkWebhookUrl("http://127.0.0.1:9000/", true)).to.equal("http://127.0.0.1:9000/");

    const strict = new WebhookService(db(), { allowPrivate: false });
    const user = await newUser();
    const refused = await strict.create(user.userId, { url: "http://127.0.0.1:1/" }).catch((error) => error);
    expect(refused).to.be.instanceOf(AppError).with.property("code", "VALIDATION_FAILED");
    const overRest = await api(user, "POST", "/v1/webhooks", { url: "gopher://127.0.0.1/" });
    expect(overRest.status).to.equal(400);
    expect(overRest.body.error.code).to.equal("VALIDATION_FAILED");

    // A name that resolves to loopback is refused when connecting (the check a DNS rebinding meets).
    const lookedUp = await new Promise<NodeJS.ErrnoException | null>((resolve) => guardedLookup(false)("localhost", {}, (error) => resolve(error)));
    expect(lookedUp?.code).to.equal("EWEBHOOKTARGET");
    const target = await receiver(() => ({ status: 200 }));
    try {
      const port = new URL(target.url).port;
      const endpointId = randomUUID();
      await insertEndpoint(db().manager, { id: endpointId, userId: user.userId, url: `http://localhost:${port}/`, description: null, events: ["purged"], secret: "whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdA==" });
      const deliveryId = randomUUID();
      await insertDeliveries(db().manager, [{ id: deliveryId, endpointId, activityId: "900000100", eventType: "purged", body: "{}" }]);
      const sender = new WebhookSender(db(), { allowPrivate: false, timeoutMs: 2000, disableAfterFailures: 5 }, pino({ level: "silent" }));
      await sender.handle({ id: deliveryId, data: { deliveryId }, retryCount: 0, retryLimit: 0 });
      const [attempt] = (await deliveries(user, endpointId))[0].attempts;
      expect(attempt.status_code).to.equal(null);
      expect(attempt.error).to.match(/may not reach/);
      expect(target.received).to.deep.equal([]);
    } finally {
      await target.close();
    }
  });

  it("keeps each user's endpoints and events to that user", async () => {
    const a = await newUser();
    const b = await newUser();
    const hooks = await receiver(() => ({ status: 200 }));
    try {
      const hook = await createHook(a, { url: hooks.url });
      for (const [method, url, body] of [
        ["GET", `/v1/webhooks/${hook.webhook_id}`],
        ["PATCH", `/v1/webhooks/${hook.webhook_id}`, { enabled: false }],
        ["DELETE", `/v1/webhooks/${hook.webhook_id}`],
        ["GET", `/v1/webhooks/${hook.webhook_id}/deliveries`],
        ["GET", `/v1/webhooks/${randomUUID()}`],
      ] as const) {
        const answer = await api(b, method, url, body);
        expect(answer.status, `${method} ${url}`).to.equal(404);
        expect(answer.body.error.code).to.equal("NOT_FOUND");
      }
      expect((await api(b, "GET", "/v1/webhooks")).body.items).to.deep.equal([]);
      const mine = await uploadRest(a, path.join(FIXTURES, "image/gif-static-200x133.gif"));
      const theirs = await uploadRest(b, path.join(FIXTURES, "image/gif-static-800x533-photo.gif"));
      await settled(a, mine.body.asset_id);
      await settled(b, theirs.body.asset_id);
      await eventually(async () => expect(processed(hooks.received).map((e) => e.type)).to.include.members(["asset.uploaded", "asset.ready"]), 30_000);
      expect(processed(hooks.received).every((e) => e.data.asset_id === mine.body.asset_id)).to.equal(true);
      expect((await api(a, "GET", `/v1/webhooks/${hook.webhook_id}`)).body.enabled).to.equal(true);
    } finally {
      await hooks.close();
    }
  });

  it("manages endpoints over GraphQL", async () => {
    const user = await newUser();
    const created = await gql(user, `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { id url events enabled secret } }`, {
      input: { url: "http://127.0.0.1:9/gql", events: ["DELETED", "RESTORED"] },
    });
    expect(created.body.errors).to.equal(undefined);
    const hook = created.body.data.createWebhook;
    expect(hook).to.include({ url: "http://127.0.0.1:9/gql", enabled: true });
    expect(hook.events).to.have.members(["DELETED", "RESTORED"]);
    expect(hook.secret).to.match(/^whsec_/);
    const listed = await gql(user, `{ webhooks { id events } webhook(id: "${hook.id}") { url } webhookDeliveries(id: "${hook.id}") { deliveries { id } nextCursor } }`);
    expect(listed.body.errors).to.equal(undefined);
    expect(listed.body.data.webhooks.map((w: any) => w.id)).to.deep.equal([hook.id]);
    expect(listed.body.data.webhookDeliveries).to.deep.equal({ deliveries: [], nextCursor: null });
    const changed = await gql(user, `mutation { updateWebhook(id: "${hook.id}", input: { enabled: false, events: [READY] }) { enabled events } }`);
    expect(changed.body.data.updateWebhook).to.deep.equal({ enabled: false, events: ["READY"] });
    const bad = await gql(user, `mutation { createWebhook(input: { url: "file:///etc/passwd" }) { id } }`);
    expect(bad.body.errors![0].extensions.code).to.equal("VALIDATION_FAILED");
    const other = await newUser();
    const hidden = await gql(other, `{ webhook(id: "${hook.id}") { id } }`);
    expect(hidden.body.errors![0].extensions.code).to.equal("NOT_FOUND");
    expect((await gql(user, `mutation { deleteWebhook(id: "${hook.id}") { id } }`)).body.data.deleteWebhook.id).to.equal(hook.id);
    expect((await gql(user, `{ webhooks { id } }`)).body.data.webhooks).to.deep.equal([]);
  });
});
