import { Not, type EntityManager } from "typeorm";
import { AppError } from "../../errors";
import { Asset } from "../entities";

/**
 * The asset that already holds these bytes, to link to (`on_duplicate=link`); DUPLICATE_ASSET
 * naming it (`reject`); nothing when there is none or the caller keeps a second copy (`keep`).
 */
export async function duplicateOf(m: EntityManager, userId: string, checksum: string, onDuplicate: string): Promise<Asset | undefined> {
  if (onDuplicate === "keep") return undefined;
  const twin = await m.findOne(Asset, { where: { userId, checksum, status: Not("deleted") }, order: { createdAt: "ASC" } });
  if (!twin) return undefined;
  if (onDuplicate === "link") return twin;
  throw new AppError("DUPLICATE_ASSET", "These exact bytes are already in your library", {
    asset_id: twin.id,
    name: twin.name,
    hint: "send on_duplicate=link to use it, or on_duplicate=keep to store a second copy",
  });
}
