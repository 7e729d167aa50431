import { Router, json } from "express";
import type { AssetReference } from "../assets/entities";
import type { Services } from "../services";
import { presentAsset } from "./asset.presenter";
import { ASSET_OPERATIONS } from "./contract/asset-operations";
import { ORGANISE_OPERATIONS } from "./contract/organise-operations";
import { mount } from "./contract/route";
import { changeContext, locals } from "./request-context";

/** /v1/references/{resource_type}/{resource_id}, /v1/assets/{id}/references, restore and /v1/assets/stats. */
export function referenceRoutes(services: Services): Router {
  const router = Router();
  const { references } = services;

  mount(
    router,
    ORGANISE_OPERATIONS.replaceReferences,
    async (req, res, { params, body }) => {
      const wanted = body.references.map((r) => ({ assetId: r.asset_id, usageType: r.usage_type }));
      const saved = await references.replace(locals(res).userId, params.resource_type, params.resource_id, wanted, changeContext(req));
      res.json({ items: saved.map(presentReference) });
    },
    json({ limit: "256kb" }),
  );

  mount(router, ORGANISE_OPERATIONS.removeReferences, async (req, res, { params }) => {
    res.json({ removed: await references.remove(locals(res).userId, params.resource_type, params.resource_id, changeContext(req)) });
  });

  mount(router, ASSET_OPERATIONS.getStats, async (_req, res) => {
    const stats = await services.stats.forUser(locals(res).userId);
    res.json({
      totals: {
        assets: stats.totals.assets,
        bytes: stats.totals.bytes,
        by_type: stats.totals.byType.map((t) => ({ asset_type: t.assetType, assets: t.assets, bytes: t.bytes })),
      },
      references: { total: stats.references.total, by_resource_type: stats.references.byResourceType, by_usage_type: stats.references.byUsageType },
      most_used: stats.mostUsed.map((m) => ({ asset_id: m.assetId, name: m.name, asset_type: m.assetType, references: m.references, projects: m.projects })),
      recent_uses: stats.recentUses.map((r) => ({
        asset_id: r.assetId,
        name: r.name,
        resource_type: r.resourceType,
        resource_id: r.resourceId,
        usage_type: r.usageType,
        created_at: r.createdAt.toISOString(),
      })),
    });
  });

  mount(router, ASSET_OPERATIONS.listAssetReferences, async (req, res) => {
    res.json({ items: (await references.forAsset(locals(res).userId, req.params.id)).map(presentReference) });
  });

  mount(router, ASSET_OPERATIONS.getAssetUrls, async (req, res, { query }) => {
    const urls = await services.files.urlsFor(locals(res).userId, req.params.id, query.expires_in);
    const shape = (u: { url: string; expiresAt: Date } | null) => (u ? { url: u.url, expires_at: u.expiresAt.toISOString() } : null);
    res.json({ permanent: urls.permanent, download: shape(urls.download), thumbnail: shape(urls.thumbnail), preview: shape(urls.preview) });
  });

  mount(router, ASSET_OPERATIONS.restoreAsset, async (req, res) => {
    const { userId, loaders } = locals(res);
    res.json(await presentAsset(await services.assets.restore(userId, req.params.id, changeContext(req)), loaders, services.urls));
  });

  return router;
}

export function presentReference(r: AssetReference) {
  return {
    reference_id: r.id,
    asset_id: r.assetId,
    resource_type: r.resourceType,
    resource_id: r.resourceId,
    usage_type: r.usageType,
    created_at: r.createdAt.toISOString(),
  };
}
