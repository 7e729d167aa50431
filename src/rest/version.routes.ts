import { Router } from "express";
import type { AssetVersion } from "../assets/entities";
import type { VersionComparison } from "../assets/version.service";
import type { AssetUrlBuilder } from "../assets/urls";
import { derivativeFile, originalFile } from "../assets/stored-files";
import { sendStoredFile } from "../http/send-file";
import type { Services } from "../services";
import { presentAsset } from "./asset.presenter";
import { VERSION_OPERATIONS as op } from "./contract/version-operations";
import { checkFields, mount } from "./contract/route";
import { readMultipartUpload } from "./multipart";
import { changeContext, locals } from "./request-context";

/** /v1/assets/{id}/versions…: history, new versions, download, rollback, delete, compare. */
export function versionRoutes(services: Services): Router {
  const router = Router();
  const { versions, urls } = services;
  const present = (assetId: string, version: AssetVersion, currentVersion: number) => presentVersion(urls, assetId, version, currentVersion);

  mount(router, op.listVersions, async (req, res) => {
    const { userId } = locals(res);
    const asset = await services.assets.get(userId, req.params.id);
    const list = await versions.list(userId, asset.id);
    res.json({ items: list.map((v) => present(asset.id, v, asset.currentVersion)) });
  });

  mount(router, op.uploadVersion, async (req, res) => {
    const { userId, loaders } = locals(res);
    const upload = await readMultipartUpload(req);
    checkFields(op.uploadVersion, upload.fields);
    const { asset, version } = await versions.upload(userId, req.params.id, {
      filename: upload.filename,
      stream: upload.stream,
      changeDescription: upload.fields.change_description,
      requestComplete: upload.complete,
      requestId: String(req.id),
    });
    res.status(201).json({ version: present(asset.id, version, asset.currentVersion), asset: await presentAsset(asset, loaders, services.urls) });
  });

  mount(router, op.compareVersions, async (req, res, { query }) => {
    const comparison = await versions.compare(locals(res).userId, req.params.id, query.from, query.to);
    res.json(presentComparison(urls, req.params.id, comparison));
  });

  mount(router, op.getVersion, async (req, res, { params }) => {
    const { asset, version } = await versions.get(locals(res).userId, req.params.id, params.v);
    res.json(present(asset.id, version, asset.currentVersion));
  });

  mount(router, op.downloadVersion, async (req, res, { params }) => {
    const { version } = await versions.get(locals(res).userId, req.params.id, params.v);
    await sendStoredFile(req, res, services.storage, originalFile(version));
  });

  mount(router, op.getVersionDerivative, async (req, res, { params }) => {
    const { asset, derivative } = await services.assets.getDerivative(locals(res).userId, req.params.id, req.params.kind, params.v);
    await sendStoredFile(req, res, services.storage, derivativeFile(asset, derivative));
  });

  mount(router, op.deleteVersion, async (req, res, { params }) => {
    await versions.delete(locals(res).userId, req.params.id, params.v, changeContext(req));
    res.status(204).end();
  });

  mount(router, op.rollbackVersion, async (req, res, { params }) => {
    const { userId, loaders } = locals(res);
    const asset = await versions.rollback(userId, req.params.id, params.v, changeContext(req));
    res.json(await presentAsset(asset, loaders, services.urls));
  });

  return router;
}


function presentVersion(urls: AssetUrlBuilder, assetId: string, version: AssetVersion, currentVersion: number) {
  return {
    version_id: version.id,
    version_number: version.versionNumber,
    is_current: version.versionNumber === currentVersion,
    file_size: version.fileSize,
    checksum: version.checksum,
    mime_type: version.mimeType,
    file_extension: version.fileExtension,
    original_filename: version.originalFilename,
    metadata: version.metadata,
    change_description: version.changeDescription,
    created_by: version.createdBy,
    created_at: version.createdAt.toISOString(),
    urls: urls.versionUrls(assetId, version.versionNumber),
  };
}

function presentComparison(urls: AssetUrlBuilder, assetId: string, c: VersionComparison) {
  return {
    from: c.from.versionNumber,
    to: c.to.versionNumber,
    metadata: c.metadata,
    size: { from: c.size.from, to: c.size.to, change_bytes: c.size.changeBytes, change_percent: c.size.changePercent },
    previews: urls.comparisonPreviews(c.assetType, assetId, c.from.versionNumber, c.to.versionNumber),
  };
}
