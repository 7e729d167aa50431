import { expect } from "chai";
import { GraphQLError, getIntrospectionQuery } from "graphql";
import { createErrorFormatter } from "../src/graphql/error-format";
import { createLogger } from "../src/logger";
import { api, gql, newUser } from "./helpers";
import { testService } from "./setup";

describe("GraphQL query limits", () => {
  it("refuse a query nested too deep with QUERY_TOO_COMPLEX and HTTP 400", async () => {
    const user = await newUser();
    let selection = "id";
    for (let i = 0; i < 12; i++) selection = `children { ${selection} }`;
    const { status, body } = await gql(user, `{ folders { ${selection} } }`);
    expect(status).to.equal(400);
    expect(body.errors?.[0].extensions).to.deep.include({ code: "QUERY_TOO_COMPLEX" });
    expect(body.errors?.[0].extensions.details.depth.actual).to.be.greaterThan(10);
  });

  it("refuse alias batching before any resolver runs: nothing is created", async () => {
    const user = await newUser();
    const mutations = Array.from({ length: 25 }, (_, i) => `t${i}: createTag(input: { name: "tag${i}" }) { id }`).join("\n");
    const { status, body } = await gql(user, `mutation { ${mutations} }`);
    expect([status, body.errors?.[0].extensions.code]).to.deep.equal([400, "QUERY_TOO_COMPLEX"]);
    expect((await api(user, "GET", "/v1/assets/tags")).body.items).to.deep.equal([]);
  });

  it("refuse a query whose pages multiply past the cost limit", async () => {
    const user = await newUser();
    const query = `{ folders { assets(first: 100) { nodes { id tags { id } versions { id metadata } derivatives { url } } } children { assets(first: 100) { nodes { id versions { id } } } } } }`;
    const { status, body } = await gql(user, query);
    expect([status, body.errors?.[0].extensions.code]).to.deep.equal([400, "QUERY_TOO_COMPLEX"]);
    expect(body.errors?.[0].extensions.details.cost.actual).to.be.greaterThan(50_000);
  });

  it("let ordinary pages and GraphiQL's introspection through", async () => {
    const user = await newUser();
    const page = await gql(user, `{ assets(first: 100) { totalCount nodes { id name folder { name } tags { name } versionsCount urls { thumbnail } } } }`);
    expect(page.body.errors).to.equal(undefined);
    const introspection = await gql(undefined, getIntrospectionQuery());
    expect(introspection.body.errors).to.equal(undefined);
    expect(introspection.body.data).to.have.property("__schema");
  });

  it("keeps CSRF prevention on: a simple multipart POST without the preflight header is refused", async () => {
    const user = await newUser();
    const form = new FormData();
    form.append("operations", JSON.stringify({ query: "{ tags { id } }" }));
    form.append("map", "{}");
    const response = await fetch(`${testService().baseUrl}/graphql`, { method: "POST", headers: user.auth, body: form });
    expect(response.status).to.equal(400);
  });
});

describe("GraphQL errors outside development", () => {
  it("carry no stack trace, and an unexpected failure says nothing about internals", async () => {
    const format = createErrorFormatter(createLogger({ logLevel: "silent" }), false);
    const internal = new GraphQLError("boom", { originalError: new Error("password=hunter2 at /srv/secret") });
    const formatted = format({ message: "boom", extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["at secret"] } }, internal);
    expect(formatted).to.deep.equal({ message: "Internal server error", path: undefined, locations: undefined, extensions: { code: "INTERNAL" } });
    const user = await newUser();
    const { body } = await gql(user, `{ asset(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(body.errors?.[0].extensions).to.not.have.property("stacktrace");
  });
});
