import { Router, json } from "express";
import type { AssetReference } from "../assets/entities";
import { validationFailed } from "../errors";
import type { Services } from "../services";
import { presentAsset } from "./asset.presenter";
import { objectBody } from "./params";
import { locals } from "./request-context";

/** /v1/references/{resource_type}/{resource_id}, /v1/assets/{id}/references, restore and /v1/assets/stats. */
export function referenceRoutes(services: Services): Router {
  const router = Router();
  const { references } = services;

  router.put("/references/:type/:id", json({ limit: "256kb" }), async (req, res) => {
    const body = objectBody(req.body);
    if (!Array.isArray(body.references)) throw validationFailed({ references: "must be a list of {asset_id, usage_type}" });
    const saved = await references.replace(
      locals(res).userId,
      req.params.type,
      req.params.id,
      body.references.map((r: { asset_id?: unknown; usage_type?: unknown }) => ({ assetId: String(r?.asset_id ?? ""), usageType: String(r?.usage_type ?? "") })),
    );
    res.json({ items: saved.map(presentReference) });
  });

  router.delete("/references/:type/:id", async (req, res) => {
    res.json({ removed: await references.remove(locals(res).userId, req.params.type, req.params.id) });
  });

  router.get("/assets/stats", async (_req, res) => {
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

  router.get("/assets/:id/references", async (req, res) => {
    res.json({ items: (await references.forAsset(locals(res).userId, req.params.id)).map(presentReference) });
  });

  router.get("/assets/:id/urls", async (req, res) => {
    const raw = req.query.expires_in;
    const expiresIn = raw === undefined ? undefined : /^\d{1,9}$/.test(String(raw)) ? Number(raw) : NaN;
    const urls = await services.files.urlsFor(locals(res).userId, req.params.id, expiresIn);
    const shape = (u: { url: string; expiresAt: Date } | null) => (u ? { url: u.url, expires_at: u.expiresAt.toISOString() } : null);
    res.json({ permanent: urls.permanent, download: shape(urls.download), thumbnail: shape(urls.thumbnail), preview: shape(urls.preview) });
  });

  router.post("/assets/:id/restore", async (req, res) => {
    const { userId, loaders } = locals(res);
    res.json(await presentAsset(await services.assets.restore(userId, req.params.id), loaders, services.urls));
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
