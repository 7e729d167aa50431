import { expect } from "chai";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { FIXTURES, api, gql, newUser, settled, uploadRest, type TestUser } from "./helpers";
import { makeFolder } from "./factories";

/** Another user's id must behave exactly like an id that does not exist, and change nothing. */
describe("isolation between users", function () {
  let owner: TestUser;
  let stranger: TestUser;
  let assetId: string;
  let original: Record<string, unknown>;

  before(async () => {
    owner = await newUser();
    stranger = await newUser();
    const { body } = await uploadRest(owner, path.join(FIXTURES, "image/png-rgb-8bit-200x133.png"), { name: "Owner's", description: "private" });
    assetId = body.asset_id;
    // Taken once processing is over, so the comparison at the end sees only what strangers did.
    original = await settled(owner, assetId);
  });

  const restCalls: Array<[string, string, (id: string) => string, unknown?]> = [
    ["read", "GET", (id) => `/v1/assets/${id}`],
    ["update", "PUT", (id) => `/v1/assets/${id}`, { name: "taken over" }],
    ["delete", "DELETE", (id) => `/v1/assets/${id}?force=true`],
    ["download", "GET", (id) => `/v1/assets/${id}/download`],
  ];

  for (const [what, method, url, body] of restCalls) {
    it(`REST ${what}: another user's asset answers exactly like a random id`, async () => {
      const foreign = await api(stranger, method, url(assetId), body);
      const missing = await api(stranger, method, url(randomUUID()), body);
      expect(foreign.status).to.equal(404);
      expect(foreign.body).to.deep.equal(missing.body);
      expect(foreign.body.error.code).to.equal("NOT_FOUND");
    });
  }

  const graphqlCalls: Array<[string, string]> = [
    ["asset", `query($id: ID!) { asset(id: $id) { id name } }`],
    ["updateAsset", `mutation($id: ID!) { updateAsset(id: $id, input: { name: "taken over" }) { id } }`],
    ["deleteAsset", `mutation($id: ID!) { deleteAsset(id: $id, force: true) { id } }`],
  ];

  for (const [what, query] of graphqlCalls) {
    it(`GraphQL ${what}: another user's asset answers exactly like a random id`, async () => {
      const foreign = await gql(stranger, query, { id: assetId });
      const missing = await gql(stranger, query, { id: randomUUID() });
      expect(foreign.body.errors?.[0].extensions.code).to.equal("NOT_FOUND");
      expect(foreign.body.errors?.[0].message).to.equal(missing.body.errors?.[0].message);
      expect(foreign.body.data).to.deep.equal(missing.body.data);
    });
  }

  it("a missing lookup is null beside the rest of the response, with NOT_FOUND at its path", async () => {
    const query = `query($mine: ID!, $theirs: ID!) {
      mine: asset(id: $mine) { id name }
      theirs: asset(id: $theirs) { id name }
      folder(id: $theirs) { id }
      assetVersion(assetId: $mine, versionNumber: 99) { id }
    }`;
    const response = await gql(owner, query, { mine: assetId, theirs: randomUUID() });
    expect(response.status).to.equal(200);
    expect(response.body.data).to.deep.equal({ mine: { id: assetId, name: "Owner's" }, theirs: null, folder: null, assetVersion: null });
    const missing = (response.body.errors ?? []).map((e: any) => [e.path.join("."), e.extensions.code]).sort();
    expect(missing).to.deep.equal([["assetVersion", "NOT_FOUND"], ["folder", "NOT_FOUND"], ["theirs", "NOT_FOUND"]]);
  });

  it("a malformed id is simply not found", async () => {
    expect((await api(stranger, "GET", "/v1/assets/not-a-uuid")).body.error.code).to.equal("NOT_FOUND");
    expect((await gql(stranger, `{ asset(id: "1 OR 1=1") { id } }`)).body.errors?.[0].extensions.code).to.equal("NOT_FOUND");
  });

  it("nothing the stranger tried changed the owner's asset, and listings stay separate", async () => {
    // Signed URLs roll over to a new expiry window now and then; what they point at must not change.
    const withoutExpiry = (asset: any) => ({ ...asset, urls: Object.fromEntries(Object.entries(asset.urls).map(([k, v]) => [k, String(v).split("?")[0]])) });
    expect(withoutExpiry((await api(owner, "GET", `/v1/assets/${assetId}`)).body)).to.deep.equal(withoutExpiry(original));
    const strangerList = await api(stranger, "GET", "/v1/assets");
    expect(strangerList.body.items.map((a: { asset_id: string }) => a.asset_id)).to.not.include(assetId);
    const ownerList = await gql(owner, `{ assets { nodes { id } } }`);
    expect(ownerList.body.data.assets.nodes.map((a: { id: string }) => a.id)).to.include(assetId);
  });

  it("uploading into another user's folder is NOT_FOUND and stores nothing", async () => {
    const folder = { folder_id: await makeFolder(owner, "Private") };
    const { status, body } = await uploadRest(stranger, path.join(FIXTURES, "image/gif-static-200x133.gif"), { folder_id: folder.folder_id });
    expect(status).to.equal(404);
    expect(body.error.code).to.equal("NOT_FOUND");
    const moved = await api(stranger, "PUT", `/v1/assets/${assetId}`, { folder_id: folder.folder_id });
    expect(moved.status).to.equal(404);
  });

  it("requests without a valid token are UNAUTHENTICATED", async () => {
    expect((await api(undefined, "GET", "/v1/assets")).status).to.equal(401);
    const forged = { userId: owner.userId, token: "x", auth: { Authorization: `Bearer ${owner.token.slice(0, -4)}AAAA` } };
    const response = await api(forged, "GET", `/v1/assets/${assetId}`);
    expect(response.status).to.equal(401);
    expect(response.body.error.code).to.equal("UNAUTHENTICATED");
    expect((await gql(undefined, `{ assets { totalCount } }`)).body.errors?.[0].extensions.code).to.equal("UNAUTHENTICATED");
  });
});
