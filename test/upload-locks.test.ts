import { expect } from "chai";
import { randomUUID } from "node:crypto";
import pino from "pino";
import { PgLocker } from "../src/assets/resumable/pg-locker";
import { testService } from "./setup";

/** Two lockers on one database stand for two API nodes taking PATCHes for the same upload. */
describe("resumable upload locks across API nodes (PostgreSQL advisory locks)", () => {
  const log = pino({ level: "silent" });
  let nodeA: PgLocker;
  let nodeB: PgLocker;

  beforeEach(() => {
    const url = testService().runtime.database.url;
    nodeA = new PgLocker(url, log, 2_000);
    nodeB = new PgLocker(url, log, 2_000);
  });

  afterEach(async () => {
    await nodeA.close();
    await nodeB.close();
  });

  it("asks the holder on the other node to let go, and takes the lock once it has", async () => {
    const id = randomUUID();
    const held = nodeA.newLock(id);
    let asked = 0;
    await held.lock(new AbortController().signal, async () => {
      asked += 1;
      await held.unlock();
    });
    const taken = nodeB.newLock(id);
    await taken.lock(new AbortController().signal, () => undefined);
    expect(asked).to.equal(1);
    await taken.unlock();
  });

  it("keeps the lock while its holder does not let go: the other node gives up after its timeout", async () => {
    const id = randomUUID();
    const held = nodeA.newLock(id);
    await held.lock(new AbortController().signal, () => undefined);
    const started = Date.now();
    let error: unknown;
    await nodeB.newLock(id).lock(new AbortController().signal, () => undefined).catch((e) => (error = e));
    expect((error as { status_code?: number }).status_code).to.equal(500);
    expect(Date.now() - started).to.be.at.least(1_900);
    await held.unlock();
    // Released: the other node takes it at once.
    const next = nodeB.newLock(id);
    await next.lock(new AbortController().signal, () => undefined);
    await next.unlock();
  });

  it("does not block different uploads", async () => {
    const a = nodeA.newLock(randomUUID());
    const b = nodeB.newLock(randomUUID());
    await a.lock(new AbortController().signal, () => undefined);
    await b.lock(new AbortController().signal, () => undefined);
    await a.unlock();
    await b.unlock();
  });
});
