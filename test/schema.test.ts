import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { buildSchema, findBreakingChanges, findDangerousChanges, getIntrospectionQuery, printSchema } from "graphql";
import { gql } from "./helpers";
import { buildGraphQLSchema } from "../src/graphql/schema";

/** What a frontend developer reads in GraphiQL's Docs panel: every described item, from live introspection. */
async function describedShare(): Promise<Record<"types" | "fields" | "arguments", { described: number; all: number; missing: string[] }>> {
  const data = (await gql(undefined, getIntrospectionQuery({ descriptions: true }))).body.data;
  const share = () => ({ described: 0, all: 0, missing: [] as string[] });
  const result = { types: share(), fields: share(), arguments: share() };
  const count = (bucket: ReturnType<typeof share>, name: string, description: string | null | undefined) => {
    bucket.all += 1;
    if (description && description.trim() !== "") bucket.described += 1;
    else bucket.missing.push(name);
  };
  for (const type of data.__schema.types as Array<{ name: string; kind: string; description: string | null; fields?: any[]; inputFields?: any[] }>) {
    // Built-in scalars and introspection's own types are graphql-js's to describe.
    if (type.name.startsWith("__") || ["String", "Int", "Float", "Boolean", "ID"].includes(type.name)) continue;
    count(result.types, type.name, type.description);
    for (const field of [...(type.fields ?? []), ...(type.inputFields ?? [])]) {
      count(result.fields, `${type.name}.${field.name}`, field.description);
      for (const arg of field.args ?? []) count(result.arguments, `${type.name}.${field.name}(${arg.name})`, arg.description);
    }
  }
  return result;
}

describe("schema.graphql", () => {
  it("describes at least 95% of its types, fields and arguments (GraphiQL's Docs panel is the manual)", async () => {
    const share = await describedShare();
    for (const [kind, { described, all, missing }] of Object.entries(share)) {
      expect(described / all, `${kind}: ${described} of ${all} described; missing: ${missing.join(", ")}`).to.be.at.least(0.95);
    }
  });

  it("is the SDL the resolvers emit, and a change that breaks clients is named before it lands", async () => {
    const committed = fs.readFileSync(path.join(__dirname, "../schema.graphql"), "utf8");
    const emitted = await buildGraphQLSchema();
    // Clients are built against the committed schema: list what the code would break for them.
    const breaking = findBreakingChanges(buildSchema(committed), emitted).map((c) => `  BREAKING ${c.type}: ${c.description}`);
    const dangerous = findDangerousChanges(buildSchema(committed), emitted).map((c) => `  dangerous ${c.type}: ${c.description}`);
    const advice = [...breaking, ...dangerous].length > 0
      ? `The resolvers no longer match schema.graphql, and clients would see:\n${[...breaking, ...dangerous].join("\n")}\nIf this is intended, run \`npm run schema\` and commit schema.graphql with the change (and say so to API users); otherwise change the resolvers back.`
      : "The resolvers no longer match schema.graphql (no client-breaking difference): run `npm run schema` and commit it.";
    expect(`${printSchema(emitted)}\n` === committed, advice).to.equal(true);
  });
});
