import type { Folder, Tag } from "../assets/entities";

export function presentFolder(folder: Folder & { depth?: number }) {
  return {
    folder_id: folder.id,
    name: folder.name,
    parent_folder_id: folder.parentFolderId,
    description: folder.description,
    color: folder.color,
    asset_count: folder.assetCount,
    ...(folder.depth !== undefined ? { depth: folder.depth } : {}),
    created_at: folder.createdAt.toISOString(),
    updated_at: folder.updatedAt.toISOString(),
  };
}

export function presentTag(tag: Tag) {
  return { tag_id: tag.id, name: tag.name, color: tag.color, usage_count: tag.usageCount, created_at: tag.createdAt.toISOString() };
}
