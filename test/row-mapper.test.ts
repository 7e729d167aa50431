import { expect } from "chai";
import path from "node:path";
import { manyEntities } from "../src/db/row-mapper";
import { Asset } from "../src/assets/entities";
import { FIXTURES, api, newUser, readyAsset, uploadRest } from "./helpers";
import { makeFolder } from "./factories";
import { testService } from "./setup";

describe("entities from raw rows (db/row-mapper.ts)", () => {
  it("gives every column of an asset as TypeORM's own hydration does: dates, JSON, BIGINTs, enums, nulls", async () => {
    const user = await newUser();
    const ready = await readyAsset(user, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"));
    await api(user, "PUT", `/v1/assets/${ready.asset_id}/focal-point`, { x: 0.25, y: 0.75 });
    const folder = await makeFolder(user, "Mapped");
    const second = await uploadRest(user, path.join(FIXTURES, "audio/wav-pcm-s16-stereo-22k.wav"), { folder_id: folder });
    expect(second.status, JSON.stringify(second.body)).to.equal(201);
    expect((await api(user, "DELETE", `/v1/assets/${second.body.asset_id}`)).status).to.equal(200);
    const query = () => testService().runtime.services.db.getRepository(Asset).createQueryBuilder("a").where("a.user_id = :userId", { userId: user.userId }).orderBy("a.created_at");
    const [mapped, hydrated] = [await manyEntities(query()), await query().getMany()];
    expect(hydrated).to.have.length(2);
    expect(mapped).to.deep.equal(hydrated);
    expect(mapped[0]).to.be.instanceOf(Asset);
    // The values that differ by type, spelled out: a wrong mapping fails here even if both agreed.
    expect(mapped[0].createdAt).to.be.instanceOf(Date);
    expect(mapped[0].fileSize).to.be.a("number");
    expect(mapped[0].phash).to.be.a("string");
    expect(mapped[0].focalPoint).to.deep.equal({ x: 0.25, y: 0.75 });
    expect(mapped[0].visual).to.have.property("palette");
    expect(mapped[1]).to.include({ status: "deleted", folderId: folder, phash: null, visual: null });
    expect(mapped[1].deletedAt).to.be.instanceOf(Date);
  });
});
