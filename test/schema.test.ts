import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { printSchema } from "graphql";
import { buildGraphQLSchema } from "../src/graphql/schema";

describe("schema.graphql", () => {
  it("is the SDL the resolvers emit (run `npm run schema` after changing them)", async () => {
    const committed = fs.readFileSync(path.join(__dirname, "../schema.graphql"), "utf8");
    expect(committed).to.equal(`${printSchema(await buildGraphQLSchema())}\n`);
  });
});
