import { expect } from "chai";
import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { connectionSelection } from "../src/graphql/selection";
import { GRID_PAGE } from "./grid-page";
import { gql, newUser, readyAsset, FIXTURES } from "./helpers";
import path from "node:path";
import { testService } from "./setup";
import { statementsOf } from "./statements";

/** The resolve info's two parts connectionSelection reads, for the first root field of `query`. */
function infoOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

describe("what a GraphQL connection query selects (graphql/selection.ts)", () => {
  it("finds the connection's and its assets' fields through nodes, edges, fragments and inline fragments", () => {
    const grid = connectionSelection(infoOf(GRID_PAGE));
    expect([...grid.connection].sort()).to.deep.equal(["facets", "nodes", "pageInfo", "totalCount"]);
    expect(grid.node).to.include.keys("folder", "tags", "urls", "derivatives", "versionsCount", "referencesCount", "id");
    const spread = connectionSelection(infoOf(`query { assets(first: 5) { edges { node { ...Card } } ... on AssetConnection { totalCount } } }
      fragment Card on Asset { id ... on Asset { tags { name } } }`));
    expect([...spread.connection].sort()).to.deep.equal(["edges", "totalCount"]);
    expect([...spread.node].sort()).to.deep.equal(["id", "tags"]);
    const bare = connectionSelection(infoOf(`{ assets { nodes { id name } } }`));
    expect([...bare.node].sort()).to.deep.equal(["id", "name"]);
    expect(bare.connection.has("totalCount")).to.equal(false);
  });

  it("reads a page's extras in the page's own statement and its counts beside it when the query selects them, and neither when it selects none", async () => {
    const user = await newUser();
    for (const file of ["image/png-rgb-8bit-200x133.png", "image/gif-static-200x133.gif"]) await readyAsset(user, path.join(FIXTURES, file));
    const db = testService().runtime.services.db;
    const grid = await gql(user, GRID_PAGE, { first: 100 });
    expect(grid.body.errors).to.equal(undefined);
    expect(grid.body.data.assets.nodes[0].urls.thumbnail).to.match(/^http/);
    expect(grid.body.data.assets.totalCount).to.equal(2);
    const run = (query: string) => statementsOf(db, async () => expect((await gql(user, query)).body.errors).to.equal(undefined));
    const full = await run(`{ assets(first: 10) { totalCount nodes { id tags { name } } } }`);
    const counted = (statements: Array<{ query: string }>) => statements.filter((s) => s.query.includes("asset_counts")).length;
    const extras = (statements: Array<{ query: string }>) => statements.filter((s) => s.query.includes("json_agg")).length;
    expect([extras(full), counted(full)]).to.deep.equal([1, 1]);
    expect(full, "the page and its extras are one statement").to.have.length(2);
    expect(full.find((s) => s.query.includes("json_agg"))!.query).to.match(/FROM "assets" "a" WHERE .* ORDER BY .* LIMIT 11/s);
    const bare = await run(`{ assets(first: 10) { nodes { id name } } }`);
    expect([extras(bare), counted(bare)]).to.deep.equal([0, 0]);
    expect(bare).to.have.length(1);
  });
});
