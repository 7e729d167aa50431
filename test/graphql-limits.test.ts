import { expect } from "chai";
import { GraphQLError, getIntrospectionQuery } from "graphql";
import { createErrorFormatter } from "../src/graphql/error-format";
import { createLogger } from "../src/logger";
import { GRID_PAGE } from "./grid-page";
import { api, gql, newUser } from "./helpers";
import { seedAssets } from "./factories";
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

  it("let a page of 100 with every field of the REST asset shape through", async () => {
    const user = await newUser();
    const folder = (await api(user, "POST", "/v1/assets/folders", { name: "grid" })).body.folder_id;
    await seedAssets(user.userId, Array.from({ length: 100 }, (_, i) => ({ name: `grid ${i}`, folderId: i % 2 ? folder : null, tags: ["a", "b", "c"] })));
    const { status, body } = await gql(user, GRID_PAGE, { first: 100 });
    expect([status, body.errors]).to.deep.equal([200, undefined]);
    expect(body.data.assets.nodes).to.have.length(100);
    expect(body.data.assets.totalCount).to.equal(100);
    expect(body.data.assets.nodes[0].tags).to.have.length(3);
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

/** Posts a raw GraphQL request body and returns status, text and parsed body. */
async function postGraphQL(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${testService().baseUrl}/graphql`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

/** Nothing about the server's insides: no stack trace, no file path, no SQL. */
function expectNoInternals(text: string): void {
  expect(text).to.not.match(/stacktrace|node_modules|\/work\/|\.ts:\d+|\bat [A-Za-z.]+ \(|SELECT |INSERT /);
}

describe("GraphQL under hostile input", () => {
  it("answers bad variables with 400 BAD_USER_INPUT and no stack trace, never 500", async () => {
    const user = await newUser();
    const cases: Array<[string, Record<string, unknown>]> = [
      ["query($f: Int) { assets(first: $f) { totalCount } }", { f: "abc" }],
      ["query($f: Int) { assets(first: $f) { totalCount } }", { f: 1e12 }],
      ["query($f: AssetFilter) { assets(filter: $f) { totalCount } }", { f: { createdAfter: "x" } }],
    ];
    for (const [query, variables] of cases) {
      const { status, text, body } = await postGraphQL({ query, variables }, user.auth);
      expect([status, body.errors?.[0].extensions.code], text).to.deep.equal([400, "BAD_USER_INPUT"]);
      expectNoInternals(text);
    }
  });

  it("refuses token, alias and introspection bombs with 400 QUERY_TOO_COMPLEX", async () => {
    const typenames = `{ ${Array.from({ length: 20_000 }, (_, i) => `a${i}: __typename`).join(" ")} }`;
    const schemas = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `s${i}: __schema { types { name } }`).join(" ")} }`;
    for (const query of [typenames, schemas(2000), schemas(100), schemas(6)]) {
      const { status, text, body } = await postGraphQL({ query });
      expect([status, body.errors?.[0].extensions.code], text.slice(0, 300)).to.deep.equal([400, "QUERY_TOO_COMPLEX"]);
      expectNoInternals(text);
    }
    expect((await postGraphQL({ query: schemas(6) })).body.errors[0].extensions.details).to.have.property("cost");
    expect((await postGraphQL({ query: schemas(100) })).body.errors[0].extensions.details).to.have.property("aliases");
    let nested = "name";
    for (let i = 0; i < 20; i++) nested = `ofType { ${nested} }`;
    const deep = await postGraphQL({ query: `{ __type(name: "Asset") { fields { type { ${nested} } } } }` });
    expect([deep.status, deep.body.errors?.[0].extensions.code]).to.deep.equal([400, "QUERY_TOO_COMPLEX"]);
  });

  it("lets GraphiQL's full schema query through, and one more __schema beside it", async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
    const { status, body } = await postGraphQL({ query });
    expect([status, body.errors]).to.deep.equal([200, undefined]);
    expect(body.data.__schema.types.length).to.be.greaterThan(20);
    expect((await postGraphQL({ query: `{ a: __schema { queryType { name } } b: __schema { queryType { name } } }` })).status).to.equal(200);
  });

  it("answers a persisted-query hash mismatch with 400 BAD_REQUEST and no stack trace", async () => {
    const { status, text, body } = await postGraphQL({ query: "{ __typename }", extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } });
    expect([status, body.errors?.[0].extensions.code]).to.deep.equal([400, "BAD_REQUEST"]);
    expectNoInternals(text);
  });

  it("answers 401 for a missing token as for a bad one; introspection needs none", async () => {
    expect((await postGraphQL({ query: "{ assets { totalCount } }" })).status).to.equal(401);
    expect((await postGraphQL({ query: "{ assets { totalCount } }" }, { Authorization: "Bearer nope" })).status).to.equal(401);
    expect((await postGraphQL({ query: "{ __schema { queryType { name } } }" })).status).to.equal(200);
  });

  it("type-checks REST search bodies: a list is not a limit", async () => {
    const user = await newUser();
    for (const body of [{ limit: [1] }, { sort: ["name"] }, { query: { a: 1 } }]) {
      const { status, body: answer } = await api(user, "POST", "/v1/assets/search", body);
      expect([status, answer.error.code]).to.deep.equal([400, "VALIDATION_FAILED"]);
    }
    expect((await api(user, "GET", "/v1/assets?limit=1&limit=2")).status).to.equal(400);
  });
});

describe("GraphQL errors outside development", () => {
  it("carry no stack trace, and an unexpected failure says nothing about internals", async () => {
    const format = createErrorFormatter(createLogger({ logLevel: "silent" }));
    const internal = new GraphQLError("boom", { originalError: new Error("password=hunter2 at /srv/secret") });
    const formatted = format({ message: "boom", extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["at secret"] } }, internal);
    expect(formatted).to.deep.equal({ message: "Internal server error", path: undefined, locations: undefined, extensions: { code: "INTERNAL" } });
    const user = await newUser();
    const { body } = await gql(user, `{ asset(id: "00000000-0000-4000-8000-000000000000") { id } }`);
    expect(body.errors?.[0].extensions).to.not.have.property("stacktrace");
  });
});
