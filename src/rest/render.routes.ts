import { Router, json } from "express";
import type { RawRender } from "../assets/render/render-params";
import { sendStoredFile } from "../http/send-file";
import type { Services } from "../services";
import { presentAsset } from "./asset.presenter";
import { RENDER_OPERATIONS as op } from "./contract/render-operations";
import { mount } from "./contract/route";
import { presentedSignature, untilExpiry } from "./params";
import { changeContext, locals } from "./request-context";

/** A year: a render whose URL names its version never changes. */
const FOREVER = "private, max-age=31536000, immutable";

const renderParams = (query: RawRender): RawRender => ({ w: query.w, h: query.h, fit: query.fit, format: query.format, q: query.q, dpr: query.dpr, preset: query.preset });

/** /v1/assets/{id}/render, its signed URL, and the focal point (bearer token). */
export function renderRoutes(services: Services): Router {
  const router = Router();
  const { renders } = services;

  mount(router, op.renderAsset, async (req, res, { query }) => {
    const { file, pinned } = await renders.render(locals(res).userId, req.params.id, renderParams(query), query.version);
    // Without a version the URL follows the current one: caches keep it, but ask (ETag) each time.
    await sendStoredFile(req, res, services.storage, file, pinned ? FOREVER : "private, no-cache");
  });

  mount(router, op.getRenderUrl, async (req, res, { query }) => {
    const asset = await services.assets.get(locals(res).userId, req.params.id);
    const signed = renders.signedRenderUrl(asset, renderParams(query), query.expires_in);
    res.json({ url: signed.url, expires_at: signed.expiresAt.toISOString() });
  });

  mount(
    router,
    op.setFocalPoint,
    async (req, res, { body }) => {
      const { userId, loaders } = locals(res);
      res.json(await presentAsset(await services.focalPoints.set(userId, req.params.id, body, changeContext(req)), loaders, services.urls));
    },
    json({ limit: "4kb" }),
  );

  mount(router, op.clearFocalPoint, async (req, res) => {
    const { userId, loaders } = locals(res);
    res.json(await presentAsset(await services.focalPoints.set(userId, req.params.id, null, changeContext(req)), loaders, services.urls));
  });

  return router;
}

/** /v1/renders/{asset_id}/{version}: a signed render, no token. */
export function signedRenderRoutes(services: Services): Router {
  const router = Router();
  mount(router, op.getSignedRender, async (req, res, { params, query }) => {
    const { file, expires } = await services.renders.renderSigned(presentedSignature(params, query), renderParams(query));
    await sendStoredFile(req, res, services.storage, file, untilExpiry(expires).cacheControl);
  });
  return router;
}
