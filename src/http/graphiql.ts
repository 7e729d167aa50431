import { renderGraphiQL } from "@graphql-yoga/render-graphiql";

const DEFAULT_QUERY = `# Your assets, newest first. Add your token under Headers:
# {"Authorization": "Bearer <token>"}  (npm run token -- <user-uuid> prints one)
query Library {
  assets(first: 10) {
    totalCount
    nodes { id name assetType status fileSize metadata urls { permanent } }
  }
}
`;

/**
 * GraphiQL as one self-contained page (scripts and styles inlined from node_modules): it loads
 * nothing from outside, so it works on a machine with no network.
 */
export function graphiqlPage(options: { defaultHeaders?: Record<string, string> } = {}): string {
  return renderGraphiQL({
    title: "Asset Library GraphiQL",
    endpoint: "/graphql",
    defaultQuery: DEFAULT_QUERY,
    defaultHeaders: options.defaultHeaders ? JSON.stringify(options.defaultHeaders, null, 2) : undefined,
    // CSRF prevention stays on: this header marks GraphiQL's requests as non-simple.
    additionalHeaders: { "Apollo-Require-Preflight": "true" },
    // Subscriptions over graphql-ws on the same /graphql (GraphiQL sends its headers with each one).
    subscriptionsProtocol: "WS",
  });
}
