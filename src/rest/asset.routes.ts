import { Router, json } from "express";
import { derivativeFile, originalFile } from "../assets/stored-files";
import { sendStoredFile } from "../http/send-file";
import type { Services } from "../services";
import { parseRestSearch } from "./search-request";
import { presentAsset, presentNearDuplicates, presentSearch } from "./asset.presenter";
import { readMultipartUpload } from "./multipart";
import { ASSET_OPERATIONS as op } from "./contract/asset-operations";
import { checkFields, mount } from "./contract/route";
import { isSet } from "./params";
import { changeContext, locals } from "./request-context";

/** /v1/assets: upload, list, read, update, delete, download. Each handler calls one service method. */
export function assetRoutes(services: Services): Router {
  const router = Router();
  const { assets } = services;

  mount(router, op.uploadAsset, async (req, res) => {
    const { userId, loaders } = locals(res);
    const upload = await readMultipartUpload(req);
    checkFields(op.uploadAsset, upload.fields);
    const { asset, created, nearDuplicates } = await assets.upload(userId, {
      filename: upload.filename,
      stream: upload.stream,
      name: upload.fields.name,
      description: upload.fields.description,
      folderId: upload.fields.folder_id,
      assetType: upload.fields.asset_type,
      tags: upload.fields.tags ? upload.fields.tags.split(",") : undefined,
      onDuplicate: upload.fields.on_duplicate,
      findSimilar: upload.fields.find_similar === "true",
      requestComplete: upload.complete,
      requestId: String(req.id),
    });
    res.status(created ? 201 : 200).json({ ...(await presentAsset(asset, loaders, services.urls)), near_duplicates: presentNearDuplicates(nearDuplicates) });
  });

  mount(router, op.searchAssets, async (req, res) => {
    const { userId, loaders } = locals(res);
    const result = await services.search.search(userId, parseRestSearch(req.query as Record<string, unknown>), { extras: true });
    res.json(await presentSearch(result, loaders, services.urls));
  });

  mount(
    router,
    op.searchAssetsWithBody,
    async (req, res) => {
      const { userId, loaders } = locals(res);
      const result = await services.search.search(userId, parseRestSearch(req.body as Record<string, unknown>), { extras: true });
      res.json(await presentSearch(result, loaders, services.urls));
    },
    json({ limit: "64kb" }),
  );

  mount(router, op.getSimilarAssets, async (req, res, { query }) => {
    const { userId, loaders } = locals(res);
    const similar = await services.similar.similar(userId, req.params.id, { maxDistance: query.max_distance, limit: query.limit });
    res.json({ items: await Promise.all(similar.map(async ({ asset, distance }) => ({ asset: await presentAsset(asset, loaders, services.urls), distance }))) });
  });

  mount(router, op.getAsset, async (req, res) => {
    const { userId, loaders } = locals(res);
    res.json(await presentAsset(await assets.get(userId, req.params.id), loaders, services.urls));
  });

  mount(
    router,
    op.updateAsset,
    async (req, res, { body }) => {
      const { userId, loaders } = locals(res);
      const asset = await assets.update(userId, req.params.id, { name: body.name, description: body.description, folderId: body.folder_id }, changeContext(req));
      res.json(await presentAsset(asset, loaders, services.urls));
    },
    json({ limit: "64kb" }),
  );

  mount(router, op.deleteAsset, async (req, res, { query }) => {
    const { userId, loaders } = locals(res);
    const asset = await assets.delete(userId, req.params.id, isSet(query.force), changeContext(req));
    res.json(await presentAsset(asset, loaders, services.urls));
  });

  mount(router, op.downloadAsset, async (req, res) => {
    const asset = await assets.get(locals(res).userId, req.params.id);
    await sendStoredFile(req, res, services.storage, originalFile(asset));
  });

  mount(router, op.getAssetDerivative, async (req, res) => {
    const { asset, derivative } = await assets.getDerivative(locals(res).userId, req.params.id, req.params.kind);
    await sendStoredFile(req, res, services.storage, derivativeFile(asset, derivative));
  });

  return router;
}
