import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from "graphql";

/** What a connection field's query selects: on the connection itself, and on each of its assets. */
export interface ConnectionSelection {
  connection: Set<string>;
  node: Set<string>;
}

/**
 * The field names selected on a connection (`totalCount`, `facets`, …) and on its assets (through
 * `nodes` or `edges { node }`), fragments included, so a resolver can start what the query will
 * need before the fields ask for it one by one.
 */
export function connectionSelection(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">): ConnectionSelection {
  const connection = new Set<string>();
  const node = new Set<string>();
  for (const field of info.fieldNodes) {
    for (const child of fieldsOf(field.selectionSet, info.fragments)) {
      connection.add(child.name.value);
      if (child.name.value === "nodes") for (const f of fieldsOf(child.selectionSet, info.fragments)) node.add(f.name.value);
      if (child.name.value === "edges") {
        for (const edge of fieldsOf(child.selectionSet, info.fragments)) {
          if (edge.name.value === "node") for (const f of fieldsOf(edge.selectionSet, info.fragments)) node.add(f.name.value);
        }
      }
    }
  }
  return { connection, node };
}

function fieldsOf(set: SelectionSetNode | undefined, fragments: Record<string, FragmentDefinitionNode>): FieldNode[] {
  if (!set) return [];
  return set.selections.flatMap((selection) => {
    if (selection.kind === "Field") return [selection];
    if (selection.kind === "InlineFragment") return fieldsOf(selection.selectionSet, fragments);
    const fragment = fragments[selection.name.value];
    return fragment ? fieldsOf(fragment.selectionSet, fragments) : [];
  });
}
