import type { DataSource, EntityManager } from "typeorm";
import { AppError, notFound, validationFailed } from "../errors";
import { isUniqueViolation } from "../db/errors";
import { lockOwnedAssets } from "./asset.repository";
import { Tag } from "./entities";
import { adjustTagUsage } from "./tag.repository";
import { cleanColor, cleanIdentifyingName, isUuid } from "./validation";
import { recordActivity } from "./activity/activity.repository";
import type { ChangeContext } from "./activity/asset-event";

const MAX_TAG_NAME = 100;
const MAX_TAGS_PER_CALL = 100;
const MAX_ASSETS_PER_CALL = 1000;

/**
 * A user's tags. Names are unique per user whatever their case. `usage_count` is the number of
 * live (not deleted) assets carrying the tag, moved in the same transaction as every link.
 */
export class TagService {
  constructor(private readonly db: DataSource) {}

  list(userId: string): Promise<Tag[]> {
    return this.db.getRepository(Tag).createQueryBuilder("t").where("t.user_id = :userId", { userId }).orderBy("lower(t.name)").getMany();
  }

  async create(userId: string, input: { name: string; color?: string | null }): Promise<Tag> {
    const name = cleanIdentifyingName("name", input.name, MAX_TAG_NAME);
    const color = cleanColor(input.color);
    return this.named(() => this.db.getRepository(Tag).save({ userId, name, color, usageCount: 0 }));
  }

  async update(userId: string, tagId: string, changes: { name?: string; color?: string | null }): Promise<Tag> {
    const name = changes.name === undefined ? undefined : cleanIdentifyingName("name", changes.name, MAX_TAG_NAME);
    const color = changes.color === undefined ? undefined : cleanColor(changes.color);
    return this.named(() =>
      this.db.transaction(async (m) => {
        const tag = await findTag(m, userId, tagId);
        if (name !== undefined) tag.name = name;
        if (color !== undefined) tag.color = color;
        return m.save(tag);
      }),
    );
  }

  /** Deletes the tag; its links go with it. */
  async delete(userId: string, tagId: string, ctx: ChangeContext = {}): Promise<Tag> {
    return this.db.transaction(async (m) => {
      const tag = await findTag(m, userId, tagId);
      const carriers: Array<{ asset_id: string }> = await m.query(`SELECT asset_id FROM asset_tags WHERE tag_id = $1`, [tag.id]);
      await recordActivity(m, carriers.map((c) => ({ userId, assetId: c.asset_id, type: "untagged" as const, requestId: ctx.requestId, after: { tags: [tag.name], tag_deleted: true } })));
      await m.delete(Tag, { id: tag.id });
      return tag;
    });
  }

  /** Applies tags (by name; unknown names are created) to assets, all or nothing. */
  async tagAssets(userId: string, assetIds: string[], tagNames: string[], ctx: ChangeContext = {}): Promise<Tag[]> {
    const names = cleanTagNames(tagNames);
    const ids = cleanAssetIds(assetIds);
    return this.named(() => this.db.transaction((m) => this.applyTags(m, userId, ids, names, ctx)));
  }

  /** Removes tags (by name) from assets, all or nothing; names the user does not have are ignored. */
  async untagAssets(userId: string, assetIds: string[], tagNames: string[], ctx: ChangeContext = {}): Promise<void> {
    const names = cleanTagNames(tagNames);
    const ids = cleanAssetIds(assetIds);
    await this.db.transaction(async (m) => {
      await lockOwnedAssets(m, userId, ids, "update");
      // As a CTE the statement returns plain rows (TypeORM wraps a bare DELETE's rows with a count).
      const removed: Array<{ tag_id: string; asset_id: string }> = await m.query(
        `WITH removed AS (
           DELETE FROM asset_tags at USING tags t
            WHERE at.tag_id = t.tag_id AND t.user_id = $1 AND lower(t.name) = ANY($2) AND at.asset_id = ANY($3)
            RETURNING at.tag_id, at.asset_id)
         SELECT tag_id, asset_id FROM removed`,
        [userId, names.map((n) => n.toLowerCase()), ids],
      );
      await adjustTagUsage(m, removed, -1);
      const removedNames = await tagNamesById(m, removed);
      await recordActivity(m, byAsset(removed).map(([assetId, tagIds]) => ({ userId, assetId, type: "untagged" as const, requestId: ctx.requestId, after: { tags: tagIds.map((t) => removedNames.get(t)!) } })));
    });
  }

  /**
   * Inside an open transaction (upload uses it): links tags to assets the caller has locked or
   * just made. With `audit`, each asset that gained a tag gets a `tagged` entry (an upload's own
   * entry lists its tags instead).
   */
  async applyTags(m: EntityManager, userId: string, assetIds: string[], names: string[], audit?: ChangeContext): Promise<Tag[]> {
    if (names.length === 0) return [];
    await lockOwnedAssets(m, userId, assetIds, "update");
    await m.query(
      `INSERT INTO tags (user_id, name) SELECT $1, n FROM unnest($2::text[]) AS n ON CONFLICT (user_id, lower(name)) DO NOTHING`,
      [userId, names],
    );
    const tags: Array<{ tag_id: string }> = await m.query(`SELECT tag_id FROM tags WHERE user_id = $1 AND lower(name) = ANY($2)`, [
      userId,
      names.map((n) => n.toLowerCase()),
    ]);
    const added: Array<{ tag_id: string; asset_id: string }> = await m.query(
      `INSERT INTO asset_tags (asset_id, tag_id)
       SELECT a, t FROM unnest($1::uuid[]) AS a CROSS JOIN unnest($2::uuid[]) AS t
       ON CONFLICT DO NOTHING
       RETURNING tag_id, asset_id`,
      [assetIds, tags.map((t) => t.tag_id)],
    );
    await adjustTagUsage(m, added, +1);
    const applied = await m.getRepository(Tag).findBy(tags.map((t) => ({ id: t.tag_id })));
    if (audit) {
      const byId = new Map(applied.map((t) => [t.id, t.name]));
      await recordActivity(m, byAsset(added).map(([assetId, tagIds]) => ({ userId, assetId, type: "tagged" as const, requestId: audit.requestId, after: { tags: tagIds.map((t) => byId.get(t)!) } })));
    }
    return applied;
  }

  private async named<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isUniqueViolation(error, "tags_user_name_key")) {
        throw new AppError("NAME_CONFLICT", "You already have a tag with that name", { field: "name" });
      }
      throw error;
    }
  }
}

async function findTag(m: EntityManager, userId: string, tagId: string): Promise<Tag> {
  if (!isUuid(tagId)) throw notFound("Tag");
  const tag = await m.findOne(Tag, { where: { id: tagId.toLowerCase(), userId }, lock: { mode: "pessimistic_write" } });
  if (!tag) throw notFound("Tag");
  return tag;
}

export function cleanTagNames(names: unknown): string[] {
  if (!Array.isArray(names) || names.length === 0) throw validationFailed({ tags: "must be a non-empty list of tag names" });
  if (names.length > MAX_TAGS_PER_CALL) throw validationFailed({ tags: `at most ${MAX_TAGS_PER_CALL} tags at once` });
  const cleaned = names.map((n) => {
    if (typeof n !== "string") throw validationFailed({ tags: "must be strings" });
    return cleanIdentifyingName("tags", n, MAX_TAG_NAME);
  });
  // One entry per name whatever its case: the first spelling wins.
  const byKey = new Map<string, string>();
  for (const name of cleaned) if (!byKey.has(name.toLowerCase())) byKey.set(name.toLowerCase(), name);
  return [...byKey.values()];
}

function cleanAssetIds(ids: unknown): string[] {
  if (!Array.isArray(ids) || ids.length === 0) throw validationFailed({ asset_ids: "must be a non-empty list" });
  if (ids.length > MAX_ASSETS_PER_CALL) throw validationFailed({ asset_ids: `at most ${MAX_ASSETS_PER_CALL} assets at once` });
  // A malformed id cannot be the caller's asset: the call fails like for any unknown id.
  if (!ids.every(isUuid)) throw notFound("Asset");
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

/** Links grouped by asset: [assetId, tagIds]. */
function byAsset(links: Array<{ tag_id: string; asset_id: string }>): Array<[string, string[]]> {
  const grouped = new Map<string, string[]>();
  for (const link of links) grouped.set(link.asset_id, [...(grouped.get(link.asset_id) ?? []), link.tag_id]);
  return [...grouped.entries()];
}

async function tagNamesById(m: EntityManager, links: Array<{ tag_id: string }>): Promise<Map<string, string>> {
  if (links.length === 0) return new Map();
  const rows: Array<{ tag_id: string; name: string }> = await m.query(`SELECT tag_id, name FROM tags WHERE tag_id = ANY($1)`, [[...new Set(links.map((l) => l.tag_id))]]);
  return new Map(rows.map((r) => [r.tag_id, r.name]));
}
