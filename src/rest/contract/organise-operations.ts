import { defineOperations, ok } from "./operation";
import { BulkTagging, FolderChange, FolderCreation, FolderListQuery, FolderParams, ForceQuery, ResourceParams, ReferenceSet, SearchQuery, TagChange, TagCreation, TagNames, TagParams, AssetParams } from "./requests";
import { Folder, FolderContents, FolderDeletion, FolderList, ReferenceList, Removed, Tag, TagList, TagsApplied } from "./schemas";


/** Folders, tags and references: how assets are organised and where they are used. */
export const ORGANISE_OPERATIONS = defineOperations({
  listFolders: {
    operationId: "listFolders", method: "get", path: "/v1/assets/folders", tag: "Folders",
    summary: "The folder tree, or one folder's children", query: FolderListQuery,
    answers: { 200: ok("Folders with their asset counts", FolderList) },
    errors: ["NOT_FOUND"],
  },
  createFolder: {
    operationId: "createFolder", method: "post", path: "/v1/assets/folders", tag: "Folders",
    summary: "Create a folder", body: FolderCreation,
    answers: { 201: ok("The new folder", Folder) },
    errors: ["NOT_FOUND", "NAME_CONFLICT", "FOLDER_DEPTH_EXCEEDED"],
  },
  updateFolder: {
    operationId: "updateFolder", method: "put", path: "/v1/assets/folders/{id}", tag: "Folders",
    summary: "Rename, move, describe or recolour a folder", params: FolderParams, body: FolderChange,
    answers: { 200: ok("The changed folder", Folder) },
    errors: ["NOT_FOUND", "NAME_CONFLICT", "FOLDER_DEPTH_EXCEEDED", "CONFLICT"],
  },
  deleteFolder: {
    operationId: "deleteFolder", method: "delete", path: "/v1/assets/folders/{id}", tag: "Folders",
    summary: "Delete a folder and its subfolders",
    description: "A folder holding assets is FOLDER_NOT_EMPTY unless `force=true`, which soft-deletes them too (ASSET_IN_USE while any is referenced).",
    params: FolderParams, query: ForceQuery,
    answers: { 200: ok("How many folders and assets went", FolderDeletion) },
    errors: ["NOT_FOUND", "FOLDER_NOT_EMPTY", "ASSET_IN_USE"],
  },
  getFolderContents: {
    operationId: "getFolderContents", method: "get", path: "/v1/assets/folders/{id}/contents", tag: "Folders",
    summary: "A folder's subfolders and a page of its assets", params: FolderParams, query: SearchQuery.omit({ folder_id: true }),
    answers: { 200: ok("The folder, its subfolders and a search of its assets", FolderContents) },
    errors: ["NOT_FOUND"],
  },
  listTags: {
    operationId: "listTags", method: "get", path: "/v1/assets/tags", tag: "Tags",
    summary: "All tags with their usage counts",
    answers: { 200: ok("The tags", TagList) },
    errors: [],
  },
  createTag: {
    operationId: "createTag", method: "post", path: "/v1/assets/tags", tag: "Tags",
    summary: "Create a tag", body: TagCreation,
    answers: { 201: ok("The new tag", Tag) },
    errors: ["NAME_CONFLICT"],
  },
  tagAssetsInBulk: {
    operationId: "tagAssetsInBulk", method: "post", path: "/v1/assets/tags/bulk", tag: "Tags",
    summary: "Tag many assets, all or nothing", body: BulkTagging,
    answers: { 200: ok("The tags applied", TagsApplied) },
    errors: ["NOT_FOUND"],
  },
  updateTag: {
    operationId: "updateTag", method: "put", path: "/v1/assets/tags/{id}", tag: "Tags",
    summary: "Rename or recolour a tag", params: TagParams, body: TagChange,
    answers: { 200: ok("The changed tag", Tag) },
    errors: ["NOT_FOUND", "NAME_CONFLICT"],
  },
  deleteTag: {
    operationId: "deleteTag", method: "delete", path: "/v1/assets/tags/{id}", tag: "Tags",
    summary: "Delete a tag (from every asset)", params: TagParams,
    answers: { 200: ok("The deleted tag", Tag) },
    errors: ["NOT_FOUND"],
  },
  tagAsset: {
    operationId: "tagAsset", method: "post", path: "/v1/assets/{id}/tags", tag: "Tags",
    summary: "Add tags to an asset by name (made if new)", params: AssetParams, body: TagNames,
    answers: { 200: ok("The tags applied", TagsApplied) },
    errors: ["NOT_FOUND"],
  },
  untagAsset: {
    operationId: "untagAsset", method: "delete", path: "/v1/assets/{id}/tags", tag: "Tags",
    summary: "Remove tags from an asset by name", params: AssetParams, body: TagNames,
    answers: { 204: { description: "Removed" } },
    errors: ["NOT_FOUND"],
  },
  replaceReferences: {
    operationId: "replaceReferences", method: "put", path: "/v1/references/{resource_type}/{resource_id}", tag: "References",
    summary: "Replace a resource's references (on save)", params: ResourceParams, body: ReferenceSet,
    answers: { 200: ok("The resource's references now", ReferenceList) },
    errors: ["NOT_FOUND"],
  },
  removeReferences: {
    operationId: "removeReferences", method: "delete", path: "/v1/references/{resource_type}/{resource_id}", tag: "References",
    summary: "Remove a resource's references (on delete)", params: ResourceParams,
    answers: { 200: ok("How many were removed", Removed) },
    errors: [],
  },
});
