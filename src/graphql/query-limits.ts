import type { ApolloServerPlugin } from "@apollo/server";
import {
  GraphQLError, getNullableType, isListType,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from "graphql";
import { getVariableValues } from "graphql/execution/values";
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
import { ASSET_TYPES } from "../assets/asset-types";
import { DERIVATIVE_KINDS } from "../assets/entities/asset-derivative.entity";
import { MAX_VERSIONS } from "../assets/version.service";

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  /** Lexical tokens in one document; enforced by the parser (see app.ts), before anything else. */
  maxTokens: number;
}

/** Items a list field is assumed to hold when neither `first`/`limit` nor a known bound gives its size. */
const ASSUMED_LIST_SIZE = 10;

/**
 * Lists whose size is known: a connection's `edges` and `nodes` hold the `first` items its field
 * already multiplied by, an asset has at most one derivative of each kind and keeps at most ten
 * versions, and there are five asset types. Counting these as ASSUMED_LIST_SIZE would price a page
 * of 100 with the fields a grid needs at ten times what it costs.
 */
const LIST_BOUNDS: Record<string, number> = {
  "AssetConnection.edges": 1,
  "AssetConnection.nodes": 1,
  "Asset.derivatives": DERIVATIVE_KINDS.length,
  "Asset.versions": MAX_VERSIONS,
  "AssetFacets.assetType": ASSET_TYPES.length,
  "Visual.palette": 5,
};

/**
 * What one `__schema` (the whole, finite schema: about 80 kB) or `__type` (one type) costs, flat.
 * graphql-js's MaxIntrospectionDepthRule already refuses introspection that recurses through
 * `fields`/`interfaces`/`possibleTypes`, so one such field describes the schema at most once;
 * at the default cost limit a query may hold five `__schema`s.
 */
const INTROSPECTION_COST: Record<string, number> = { __schema: 10_000, __type: 100 };

/**
 * Introspection subtrees have their own depth cap: GraphiQL's schema query is 15 fields deep
 * because it unwraps list and non-null types through nine nested `ofType`s.
 */
const INTROSPECTION_MAX_DEPTH = 16;

const INTROSPECTION_ROOTS = new Set(Object.keys(INTROSPECTION_COST));

/**
 * Refuses queries that are too deep, use too many aliases, or would cost too much, after parsing
 * and before any resolver runs: QUERY_TOO_COMPLEX, HTTP 400. A field costs 1 plus its children,
 * multiplied by the page size for connections (`first`), the known bound of a bounded list, and
 * an assumed size for other lists; an
 * introspection root costs a flat INTROSPECTION_COST. Aliases count everywhere, introspection
 * and `__typename` included, so a document cannot repeat `__schema` two thousand times.
 * Variables are coerced first: a bad one is BAD_USER_INPUT (400), never a crash in the estimator.
 */
export function queryLimits(limits: QueryLimits): ApolloServerPlugin {
  const check = queryLimitChecker(limits);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (operation) check({ schema, document, operation, operationName: request.operationName ?? undefined, variables: request.variables ?? {} });
        },
      };
    },
  };
}

export interface LimitedOperation {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
}

/**
 * The check itself, for any transport (HTTP through the plugin above, WebSocket subscriptions
 * through subscription-server.ts): throws QUERY_TOO_COMPLEX or BAD_USER_INPUT.
 */
export function queryLimitChecker(limits: QueryLimits): (op: LimitedOperation) => void {
  const listAware: ComplexityEstimator = ({ type, args, field, childComplexity }) => {
    if (INTROSPECTION_ROOTS.has(field.name)) return INTROSPECTION_COST[field.name];
    const size = typeof args.first === "number" ? args.first : typeof args.limit === "number" ? args.limit : LIST_BOUNDS[`${type.name}.${field.name}`];
    if (size !== undefined) return 1 + childComplexity * Math.max(1, size);
    return isListType(getNullableType(field.type)) ? 1 + childComplexity * ASSUMED_LIST_SIZE : undefined;
  };
  // A document's shape, and its cost for given variables, never change: a client sending the same
  // query again (a grid paging) is not walked again. Kept per parsed document, which Apollo caches.
  const shapes = new WeakMap<OperationDefinitionNode, Shape>();
  const costs = new WeakMap<DocumentNode, Map<string, number>>();
  return ({ schema, document, operation, operationName, variables }) => {
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 5 });
    if (coerced.errors) {
      throw new GraphQLError(coerced.errors.map((e) => e.message).join("; "), { extensions: { code: "BAD_USER_INPUT" } });
    }
    const fragments = Object.fromEntries(
      document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === "FragmentDefinition").map((d) => [d.name.value, d]),
    );
    let shape = shapes.get(operation);
    if (!shape) shapes.set(operation, (shape = measure(operation, fragments)));
    const over: Record<string, { actual: number; max: number }> = {};
    if (shape.depth > limits.maxDepth) over.depth = { actual: shape.depth, max: limits.maxDepth };
    if (shape.introspectionDepth > INTROSPECTION_MAX_DEPTH) over.introspection_depth = { actual: shape.introspectionDepth, max: INTROSPECTION_MAX_DEPTH };
    if (shape.aliases > limits.maxAliases) over.aliases = { actual: shape.aliases, max: limits.maxAliases };
    if (Object.keys(over).length === 0) {
      const known = costs.get(document) ?? new Map<string, number>();
      costs.set(document, known);
      const key = `${operationName ?? ""}\0${JSON.stringify(variables)}`;
      let cost = known.get(key);
      if (cost === undefined) {
        cost = getComplexity({
          schema,
          query: document,
          operationName,
          variables,
          estimators: [listAware, simpleEstimator({ defaultComplexity: 1 })],
          maxQueryNodes: limits.maxTokens,
        });
        // Bounded: a client sending ever-new variables keeps at most this many.
        if (known.size >= 64) known.clear();
        known.set(key, cost);
      }
      if (cost > limits.maxCost) over.cost = { actual: cost, max: limits.maxCost };
    }
    if (Object.keys(over).length > 0) {
      throw new GraphQLError(`Query too complex: ${Object.entries(over).map(([k, v]) => `${k} ${v.actual} > ${v.max}`).join(", ")}`, {
        extensions: { code: "QUERY_TOO_COMPLEX", details: over },
      });
    }
  };
}

interface Shape {
  /** Depth in fields outside introspection. */
  depth: number;
  /** Depth in fields of the deepest `__schema`/`__type` subtree, counted from that field. */
  introspectionDepth: number;
  aliases: number;
}

/** Depths and the number of aliases, fragments expanded. */
function measure(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): Shape {
  const shape: Shape = { depth: 0, introspectionDepth: 0, aliases: 0 };
  const walk = (set: SelectionSetNode, depth: number, seen: Set<string>): number => {
    let deepest = depth;
    for (const selection of set.selections) {
      if (selection.kind === "Field") {
        if (selection.alias) shape.aliases++;
        const below = selection.selectionSet ? walk(selection.selectionSet, depth + 1, seen) : depth + 1;
        if (INTROSPECTION_ROOTS.has(selection.name.value)) {
          shape.introspectionDepth = Math.max(shape.introspectionDepth, below - depth);
        } else {
          deepest = Math.max(deepest, below);
        }
      } else if (selection.kind === "InlineFragment") {
        deepest = Math.max(deepest, walk(selection.selectionSet, depth, seen));
      } else {
        const fragment = fragments[selection.name.value];
        // A fragment spread inside itself is invalid GraphQL; validation has already said so.
        if (!fragment || seen.has(fragment.name.value)) continue;
        deepest = Math.max(deepest, walk(fragment.selectionSet, depth, new Set([...seen, fragment.name.value])));
      }
    }
    return deepest;
  };
  shape.depth = walk(operation.selectionSet, 0, new Set());
  return shape;
}
