import type { ApolloServerPlugin } from "@apollo/server";
import {
  GraphQLError, isListType, getNullableType,
  type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode,
} from "graphql";
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
}

/** Items a list field is assumed to hold when its size is not given by `first`/`limit`. */
const ASSUMED_LIST_SIZE = 10;

/**
 * Refuses queries that are too deep, use too many aliases, or would cost too much, after parsing
 * and before any resolver runs: QUERY_TOO_COMPLEX, HTTP 400. A field costs 1 plus its children,
 * multiplied by the page size for connections (`first`) and an assumed size for other lists.
 * Introspection (GraphiQL's schema fetch) is not limited.
 */
export function queryLimits(limits: QueryLimits): ApolloServerPlugin {
  const listAware: ComplexityEstimator = ({ args, field, childComplexity }) => {
    const size = typeof args.first === "number" ? args.first : typeof args.limit === "number" ? args.limit : undefined;
    if (size !== undefined) return 1 + childComplexity * Math.max(1, size);
    return isListType(getNullableType(field.type)) ? 1 + childComplexity * ASSUMED_LIST_SIZE : undefined;
  };
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) return;
          const fragments = Object.fromEntries(
            document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === "FragmentDefinition").map((d) => [d.name.value, d]),
          );
          const shape = measure(operation, fragments);
          const cost = getComplexity({
            schema,
            query: document,
            operationName: request.operationName ?? undefined,
            variables: request.variables ?? {},
            estimators: [listAware, simpleEstimator({ defaultComplexity: 1 })],
          });
          const over: Record<string, { actual: number; max: number }> = {};
          if (shape.depth > limits.maxDepth) over.depth = { actual: shape.depth, max: limits.maxDepth };
          if (shape.aliases > limits.maxAliases) over.aliases = { actual: shape.aliases, max: limits.maxAliases };
          if (cost > limits.maxCost) over.cost = { actual: cost, max: limits.maxCost };
          if (Object.keys(over).length > 0) {
            throw new GraphQLError(`Query too complex: ${Object.entries(over).map(([k, v]) => `${k} ${v.actual} > ${v.max}`).join(", ")}`, {
              extensions: { code: "QUERY_TOO_COMPLEX", details: over, http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}

/** Depth in fields and the number of aliases, fragments expanded, introspection fields skipped. */
function measure(operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>): { depth: number; aliases: number } {
  let aliases = 0;
  const walk = (set: SelectionSetNode, depth: number, seen: Set<string>): number => {
    let deepest = depth;
    for (const selection of set.selections) {
      if (selection.kind === "Field") {
        if (selection.name.value.startsWith("__")) continue;
        if (selection.alias) aliases++;
        deepest = Math.max(deepest, selection.selectionSet ? walk(selection.selectionSet, depth + 1, seen) : depth + 1);
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
  return { depth: walk(operation.selectionSet, 0, new Set()), aliases };
}

