/**
 * A GraphQL page with every field of the REST asset shape (folder, tags, counts, URLs,
 * derivatives): what a grid or list view asks for. The limits must let a page of 100 of it
 * through (test/graphql-limits.test.ts), and the bench browses with it.
 */
export const GRID_PAGE = `query Grid($first: Int!, $after: String, $filter: AssetFilter) {
  assets(first: $first, after: $after, filter: $filter) {
    totalCount
    facets { assetType { assetType count } folder { folderId name count } }
    pageInfo { hasNextPage endCursor }
    nodes {
      id name description assetType mimeType fileExtension fileSize originalFilename checksum
      status statusReason metadata currentVersion versionsCount referencesCount createdAt updatedAt
      folder { id name }
      tags { id name color }
      urls { permanent download thumbnail preview }
      derivatives { kind mimeType fileSize width height url }
    }
  }
}`;
