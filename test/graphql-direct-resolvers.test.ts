import { expect } from "chai";
import { GraphQLObjectType } from "graphql";
import path from "node:path";
import { buildGraphQLSchema } from "../src/graphql/schema";
import { resolvedDirectly } from "../src/graphql/direct-field-resolvers";
import { DateTimeISO } from "../src/graphql/types/date-time.scalar";
import { FIXTURES, gql, newUser, readyAsset } from "./helpers";
import { makeFolder } from "./factories";

const fieldsOf = async (typeName: string) => ((await buildGraphQLSchema()).getType(typeName) as GraphQLObjectType).getFields();

describe("GraphQL resolvers called directly (graphql/direct-field-resolvers.ts)", () => {
  it("calls the asset fields a grid selects without type-graphql's general path, and only fields that take nothing but parent and context", async () => {
    const asset = await fieldsOf("Asset");
    for (const name of ["folder", "tags", "versionsCount", "referencesCount", "urls", "derivatives", "visual", "typedMetadata"]) {
      expect(resolvedDirectly(asset[name]), name).to.equal(true);
    }
    // Fields with arguments keep type-graphql's conversion and validation of them.
    expect(resolvedDirectly(asset.nearDuplicates)).to.equal(false);
    expect(resolvedDirectly(asset.renderUrl)).to.equal(false);
    expect(resolvedDirectly((await fieldsOf("Folder")).assets)).to.equal(false);
    // Query and mutation fields carry @Authorized: never direct.
    const query = (await buildGraphQLSchema()).getQueryType()!.getFields();
    expect(Object.values(query).filter((field) => resolvedDirectly(field))).to.deep.equal([]);
  });

  it("answers those fields as before: folder, tags, counts, URLs, derivatives, dates", async () => {
    const user = await newUser();
    const folder = await makeFolder(user, "Direct");
    const ready = await readyAsset(user, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"), { folder_id: folder });
    const { body } = await gql(user, `mutation($id: ID!) { tagAssets(assetIds: [$id], tags: ["Sky", "blue"]) { id } }`, { id: ready.asset_id });
    expect(body.errors, JSON.stringify(body.errors)).to.equal(undefined);
    const read = await gql(user, `query($id: ID!) { asset(id: $id) { assetId createdAt folder { id name } tags { name } versionsCount referencesCount urls { thumbnail } derivatives { kind url } visual { dominantColor } } }`, { id: ready.asset_id });
    expect(read.body.errors, JSON.stringify(read.body.errors)).to.equal(undefined);
    const got = read.body.data.asset;
    expect(got.assetId).to.equal(ready.asset_id);
    expect(got.createdAt).to.equal(ready.created_at);
    expect(got.folder).to.deep.equal({ id: folder, name: "Direct" });
    expect(got.tags.map((t: { name: string }) => t.name)).to.deep.equal(["blue", "Sky"]);
    expect([got.versionsCount, got.referencesCount]).to.deep.equal([1, 0]);
    expect(got.urls.thumbnail).to.be.a("string");
    expect(got.derivatives.map((d: { kind: string }) => d.kind)).to.include.members(["THUMBNAIL", "PREVIEW"]);
    expect(got.visual.dominantColor).to.match(/^#[0-9a-f]{6}$/);
  });
});

describe("the DateTimeISO scalar (graphql/types/date-time.scalar.ts)", () => {
  it("is the schema's, writes a Date as its ISO string, and refuses what graphql-scalars refuses", async () => {
    expect((await buildGraphQLSchema()).getType("DateTimeISO")).to.equal(DateTimeISO);
    expect(DateTimeISO.serialize(new Date("2026-12-07T22:59:01.123Z"))).to.equal("2026-12-07T22:59:01.123Z");
    expect(() => DateTimeISO.serialize(new Date(Number.NaN))).to.throw(/invalid Date/);
    expect(() => DateTimeISO.serialize({})).to.throw();
    expect(DateTimeISO.serialize("2026-12-07T22:59:01Z")).to.equal("2026-12-07T22:59:01.000Z");
    expect((DateTimeISO.parseValue("2026-12-07T22:59:01Z") as Date).toISOString()).to.equal("2026-12-07T22:59:01.000Z");
    expect(() => DateTimeISO.parseValue("yesterday")).to.throw();
  });
});
