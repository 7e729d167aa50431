import type { ChangeContext } from "../assets/activity/asset-event";
import type { AssetLoaders } from "../assets/asset-loaders";
import type { Services } from "../services";

export interface GraphQLContext {
  /** Undefined when the request carried no token: only introspection works then. */
  userId: string | undefined;
  /** Per-request loaders bound to the caller; undefined without a user. */
  loaders: AssetLoaders | undefined;
  services: Services;
  /** The HTTP request's id (X-Request-Id). */
  requestId?: string;
}

/** The caller's id and loaders, for resolvers guarded by @Authorized. */
export function caller(context: GraphQLContext): { userId: string; loaders: AssetLoaders } {
  return { userId: context.userId!, loaders: context.loaders! };
}

/** What the audit trail records of the request behind a change. */
export function changeContext(context: GraphQLContext): ChangeContext {
  return { requestId: context.requestId };
}
