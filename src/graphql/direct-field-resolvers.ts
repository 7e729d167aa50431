import { GraphQLObjectType, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";
import { getMetadataStorage } from "type-graphql";

type Method = (...args: unknown[]) => unknown;

const directResolvers = new WeakSet<Function>();

/**
 * Field resolvers that take only the parent (@Root) and the context (@Ctx), and have no
 * middleware and no roles, are called directly: the same method, with the same arguments.
 * type-graphql calls every field resolver through its general path, which per call builds a
 * resolver-data object, looks up the resolver instance, runs the (empty) middleware chain and
 * sorts and maps the declared parameters. A grid page of 100 assets calls six such fields per
 * asset, and that path cost about 2 µs a call. Anything else, such as arguments, validation or
 * @Authorized, still goes through type-graphql. The schema must have been built without global
 * middlewares (schema.ts passes none), because a direct call would skip them.
 * Returns the fields it rewired, as "Type.field".
 */
export function callFieldResolversDirectly(schema: GraphQLSchema): string[] {
  const storage = getMetadataStorage();
  const instances = new Map<Function, object>();
  const rewired: string[] = [];
  for (const resolver of storage.fieldResolvers) {
    const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
    const plain = params.every((p) => (p.kind === "root" || p.kind === "context") && !("propertyName" in p && p.propertyName));
    if (resolver.kind !== "external" || !plain || (resolver.middlewares?.length ?? 0) > 0 || resolver.roles) continue;
    const target = resolver.getObjectType?.();
    const typeName = storage.objectTypes.find((t) => t.target === target)?.name;
    const type = typeName ? schema.getType(typeName) : undefined;
    const field = type instanceof GraphQLObjectType ? type.getFields()[resolver.schemaName] : undefined;
    if (!field) continue;
    const instance = instances.get(resolver.target) ?? new (resolver.target as new () => object)();
    instances.set(resolver.target, instance);
    const method = (instance as Record<string, Method>)[resolver.methodName].bind(instance);
    field.resolve = direct(method, params.map((p) => p.kind as "root" | "context"));
    directResolvers.add(field.resolve);
    rewired.push(`${typeName}.${resolver.schemaName}`);
  }
  return rewired;
}

function direct(method: Method, kinds: Array<"root" | "context">): GraphQLFieldResolver<unknown, unknown> {
  // The two shapes every such field here has, without an argument list per call; any other order of the two in general.
  const shape = kinds.join(",");
  if (shape === "root") return (root) => method(root);
  if (shape === "root,context") return (root, _args, context) => method(root, context);
  return (root, _args, context) => method(...kinds.map((kind) => (kind === "root" ? root : context)));
}

/** Whether a field of the schema is resolved directly (callFieldResolversDirectly). */
export function resolvedDirectly(field: { resolve?: Function }): boolean {
  return field.resolve !== undefined && directResolvers.has(field.resolve);
}
