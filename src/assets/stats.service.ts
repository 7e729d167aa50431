import type { DataSource } from "typeorm";

export interface AssetStats {
  totals: { assets: number; bytes: number; byType: Array<{ assetType: string; assets: number; bytes: number }> };
  references: { total: number; byResourceType: Array<{ key: string; count: number }>; byUsageType: Array<{ key: string; count: number }> };
  mostUsed: Array<{ assetId: string; name: string; assetType: string; references: number; projects: string[] }>;
  recentUses: Array<{ assetId: string; name: string; resourceType: string; resourceId: string; usageType: string; createdAt: Date }>;
}

/** Library and usage statistics for one user, from a handful of aggregate queries. */
export class StatsService {
  constructor(private readonly db: DataSource) {}

  async forUser(userId: string, limit = 10): Promise<AssetStats> {
    const live = `a.user_id = $1 AND a.status <> 'deleted'`;
    const [byType, byResource, byUsage, mostUsed, recent] = await Promise.all([
      this.db.query(`SELECT a.asset_type, count(*)::int AS assets, coalesce(sum(a.file_size), 0)::bigint AS bytes FROM assets a WHERE ${live} GROUP BY a.asset_type ORDER BY a.asset_type`, [userId]),
      this.db.query(`SELECT r.resource_type AS key, count(*)::int AS count FROM asset_references r WHERE r.user_id = $1 GROUP BY 1 ORDER BY 2 DESC, 1`, [userId]),
      this.db.query(`SELECT r.usage_type AS key, count(*)::int AS count FROM asset_references r WHERE r.user_id = $1 GROUP BY 1 ORDER BY 2 DESC, 1`, [userId]),
      this.db.query(
        `SELECT a.asset_id, a.name, a.asset_type, count(*)::int AS uses,
                coalesce(array_agg(DISTINCT r.resource_id::text) FILTER (WHERE r.resource_type = 'project'), '{}') AS projects
           FROM asset_references r JOIN assets a ON a.asset_id = r.asset_id
          WHERE r.user_id = $1 AND ${live}
          GROUP BY a.asset_id, a.name, a.asset_type
          ORDER BY uses DESC, a.name, a.asset_id
          LIMIT $2`,
        [userId, limit],
      ),
      this.db.query(
        `SELECT r.asset_id, a.name, r.resource_type, r.resource_id, r.usage_type, r.created_at
           FROM asset_references r JOIN assets a ON a.asset_id = r.asset_id
          WHERE r.user_id = $1 ORDER BY r.created_at DESC, r.reference_id LIMIT $2`,
        [userId, limit],
      ),
    ]);
    const types = byType.map((t: { asset_type: string; assets: number; bytes: string }) => ({ assetType: t.asset_type, assets: t.assets, bytes: Number(t.bytes) }));
    return {
      totals: {
        assets: types.reduce((n: number, t: { assets: number }) => n + t.assets, 0),
        bytes: types.reduce((n: number, t: { bytes: number }) => n + t.bytes, 0),
        byType: types,
      },
      references: {
        total: byResource.reduce((n: number, r: { count: number }) => n + r.count, 0),
        byResourceType: byResource,
        byUsageType: byUsage,
      },
      mostUsed: mostUsed.map((m: { asset_id: string; name: string; asset_type: string; uses: number; projects: string[] }) => ({
        assetId: m.asset_id,
        name: m.name,
        assetType: m.asset_type,
        references: m.uses,
        projects: [...m.projects].sort(),
      })),
      recentUses: recent.map((r: { asset_id: string; name: string; resource_type: string; resource_id: string; usage_type: string; created_at: Date }) => ({
        assetId: r.asset_id,
        name: r.name,
        resourceType: r.resource_type,
        resourceId: r.resource_id,
        usageType: r.usage_type,
        createdAt: r.created_at,
      })),
    };
  }
}
