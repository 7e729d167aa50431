import { expect } from "chai";
import { newUser, stagedFiles } from "./helpers";
import { testService } from "./setup";

describe("GraphQL upload limits", () => {
  it("refuse a multipart request that does not follow the spec, as the client's error", async () => {
    const user = await newUser();
    const form = new FormData();
    form.append("map", "{}");
    const response = await fetch(`${testService().baseUrl}/graphql`, { method: "POST", headers: { ...user.auth, "Apollo-Require-Preflight": "true" }, body: form });
    expect(response.status).to.equal(400);
    expect(((await response.json()) as any).error.code).to.equal("VALIDATION_FAILED");
  });

  it("refuse a second file in one request, keeping nothing", async () => {
    const user = await newUser();
    const form = new FormData();
    form.append("operations", JSON.stringify({ query: "mutation($a: Upload!, $b: Upload!) { a: uploadAsset(file: $a) { id } b: uploadAsset(file: $b) { id } }", variables: { a: null, b: null } }));
    form.append("map", JSON.stringify({ 0: ["variables.a"], 1: ["variables.b"] }));
    form.append("0", new Blob([new Uint8Array(64)]), "a.png");
    form.append("1", new Blob([new Uint8Array(64)]), "b.png");
    const response = await fetch(`${testService().baseUrl}/graphql`, { method: "POST", headers: { ...user.auth, "Apollo-Require-Preflight": "true" }, body: form });
    const body = (await response.json()) as any;
    expect(response.status).to.equal(400);
    expect(body.error.code).to.equal("VALIDATION_FAILED");
    expect(body.error.details.fields).to.have.property("files");
    expect(await stagedFiles()).to.deep.equal([]);
  });
});
