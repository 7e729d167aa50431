import { expect } from "chai";
import path from "node:path";
import { PURGE_QUEUE, PURGE_SCHEDULE } from "../src/assets/jobs/queue";
import { FIXTURES, api, newUser, settled, uploadRest, userFiles, type TestUser } from "./helpers";
import { testService } from "./setup";

const db = () => testService().runtime.services.db;

async function rowsFor(assetId: string): Promise<number> {
  const [{ n }] = await db().query(
    `SELECT (SELECT count(*) FROM assets WHERE asset_id = $1) + (SELECT count(*) FROM asset_versions WHERE asset_id = $1)
          + (SELECT count(*) FROM asset_derivatives WHERE asset_id = $1) AS n`,
    [assetId],
  );
  return Number(n);
}

describe("purge of deleted assets", () => {
  it("removes an asset deleted beyond retention with all its files, derivatives included, and nothing else", async () => {
    const user = await newUser();
    const other = await newUser();
    const upload = async (owner: TestUser, file: string) => (await settled(owner, (await uploadRest(owner, path.join(FIXTURES, file))).body.asset_id)).asset_id as string;
    const expired = await upload(user, "audio/mp3-cbr64-mono-48k-iso-conformance.mp3");
    const recent = await upload(user, "image/gif-static-200x133.gif");
    const live = await upload(user, "image/png-rgb-8bit-200x133.png");
    const othersExpired = await upload(other, "image/jpg-grayscale-1-component.jpg");
    for (const [owner, id] of [[user, expired], [user, recent], [other, othersExpired]] as const) {
      expect((await api(owner, "DELETE", `/v1/assets/${id}`)).body.status).to.equal("deleted");
    }
    await db().query(`UPDATE assets SET deleted_at = now() - interval '31 days' WHERE asset_id = ANY($1)`, [[expired, othersExpired]]);
    await db().query(`UPDATE assets SET deleted_at = now() - interval '29 days' WHERE asset_id = $1`, [recent]);
    const before = await userFiles(user.userId);
    const expiredFiles = before.filter((f) => f.includes(expired));
    expect(expiredFiles.length, "the original and its four derivatives").to.equal(5);

    expect(await testService().runtime.services.purge.purgeExpired(30)).to.be.at.least(2);

    expect(await rowsFor(expired)).to.equal(0);
    expect(await rowsFor(othersExpired)).to.equal(0);
    expect(await userFiles(user.userId)).to.deep.equal(before.filter((f) => !f.includes(expired)));
    expect(await userFiles(other.userId)).to.deep.equal([]);
    expect((await api(user, "GET", `/v1/assets/${recent}`)).body.status).to.equal("deleted");
    expect((await api(user, "GET", `/v1/assets/${live}`)).body.status).to.equal("ready");
    expect((await api(user, "GET", `/v1/assets/${expired}`)).status).to.equal(404);
  });

  it("runs on a schedule, one process at a time", async () => {
    const [schedule] = await db().query(`SELECT cron FROM pgboss.schedule WHERE name = $1`, [PURGE_QUEUE]);
    expect(schedule.cron).to.equal(PURGE_SCHEDULE);
    const [queue] = await db().query(`SELECT policy FROM pgboss.queue WHERE name = $1`, [PURGE_QUEUE]);
    expect(queue.policy).to.equal("singleton");
  });
});
