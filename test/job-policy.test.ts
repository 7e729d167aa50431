import { expect } from "chai";
import path from "node:path";
import { FIXTURES, newUser, settled, uploadRest } from "./helpers";
import { testService } from "./setup";

const db = () => testService().runtime.services.db;

/**
 * pg-boss keeps one retry setting per queue, rewritten by every node that starts: a node with
 * other settings (or an older version) would otherwise decide how this node's jobs are retried.
 */
describe("job retry policy", function () {
  this.timeout(60_000);

  it("a derivative job carries the retry policy of the node that queued it, not the queue's stored one", async () => {
    const [stored] = await db().query(`SELECT retry_limit, retry_delay FROM pgboss.queue WHERE name = 'asset-derivatives'`);
    await db().query(`UPDATE pgboss.queue SET retry_limit = 0, retry_delay = 600 WHERE name = 'asset-derivatives'`);
    try {
      const user = await newUser();
      const upload = await uploadRest(user, path.join(FIXTURES, "image/gif-static-200x133.gif"));
      await settled(user, upload.body.asset_id);
      const [job] = await db().query(`SELECT retry_limit, retry_delay, retry_backoff FROM pgboss.job WHERE name = 'asset-derivatives' AND data->>'assetId' = $1`, [upload.body.asset_id]);
      expect(job).to.deep.equal({ retry_limit: testService().runtime.services.config.jobRetryLimit, retry_delay: 5, retry_backoff: true });
    } finally {
      await db().query(`UPDATE pgboss.queue SET retry_limit = $1, retry_delay = $2 WHERE name = 'asset-derivatives'`, [stored.retry_limit, stored.retry_delay]);
    }
  });
});

/**
 * A commit that queues work wakes idle workers of that queue only, one per job: waking every
 * worker of every queue made each upload cost seven empty fetches on a node's pool and database.
 */
describe("waking workers after a commit", () => {
  it("wakes one idle derivative worker per queued job and no webhook or purge worker", () => {
    const queue = testService().runtime.queue as unknown as { boss: { notifyWorker(id: string): void }; idleWorkers: Map<string, Set<string>> };
    const boss = queue.boss;
    const woken: string[] = [];
    const notifyWorker = boss.notifyWorker;
    boss.notifyWorker = (id) => {
      woken.push(id);
      notifyWorker.call(boss, id);
    };
    try {
      // Which queue each idle worker serves, as it stands before a nudge: a busy worker, or one of
      // another queue (the purge's included), would show as undefined.
      let idleBefore = new Map<string, string>();
      const snapshot = () => (idleBefore = new Map([...queue.idleWorkers].flatMap(([name, ids]) => [...ids].map((id) => [id, name] as [string, string]))));
      const queueOf = (id: string) => idleBefore.get(id);
      // Workers still busy with another test's job are not woken; each asks for work as it finishes.
      const idle = (name: string) => queue.idleWorkers.get(name)!.size;
      const idleDerivativeWorkers = idle("asset-derivatives");
      expect(idleDerivativeWorkers + idle("webhook-deliveries")).to.be.greaterThan(1);
      snapshot();
      testService().runtime.queue.nudge();
      expect(woken.map(queueOf)).to.deep.equal(idleDerivativeWorkers > 0 ? ["asset-derivatives"] : []);
      woken.length = 0;
      const idleWebhookWorkers = idle("webhook-deliveries");
      snapshot();
      testService().runtime.queue.nudge("webhook-deliveries", 3);
      expect(woken.map(queueOf)).to.deep.equal(Array(Math.min(3, idleWebhookWorkers)).fill("webhook-deliveries"));
      expect(new Set(woken).size).to.equal(woken.length);
    } finally {
      boss.notifyWorker = notifyWorker;
    }
  });
});
