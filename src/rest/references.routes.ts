import { Router, json } from "express";
import type { AssetReference } from "../assets/entities";
import { validationFailed } from "../errors";
import type { Services } from "../services";
import { presentAsset } from "./asset.presenter";
import { objectBody } from "./assets.routes";
import { locals } from "./request-context";

/** /v1/references/{resource_type}/{resource_id}, /v1/assets/{id}/references and restore. */
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

  router.get("/assets/:id/references", async (req, res) => {
    res.json({ items: (await references.forAsset(locals(res).userId, req.params.id)).map(presentReference) });
  });

  router.post("/assets/:id/restore", async (req, res) => {
    const { userId, loaders } = locals(res);
    res.json(await presentAsset(await services.assets.restore(userId, req.params.id), loaders, services.config.publicUrl));
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
