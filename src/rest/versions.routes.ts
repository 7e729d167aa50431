import { Router } from "express";
import type { AssetVersion } from "../assets/entities";
import type { VersionComparison } from "../assets/versions.service";
import { validationFailed } from "../errors";
import { derivativeFile, originalFile } from "../assets/stored-files";
import { sendStoredFile } from "../http/send-file";
import type { Services } from "../services";
import { presentAsset } from "./asset.presenter";
import { readMultipartUpload } from "./multipart";
import { locals } from "./request-context";

/** /v1/assets/{id}/versions…: history, new versions, download, rollback, delete, compare. */
export function versionRoutes(services: Services): Router {
  const router = Router();
  const { versions, config } = services;
  const present = (assetId: string, version: AssetVersion, currentVersion: number) => presentVersion(config.publicUrl, assetId, version, currentVersion);

  router.get("/assets/:id/versions", async (req, res) => {
    const { userId } = locals(res);
    const asset = await services.assets.get(userId, req.params.id);
    const list = await versions.list(userId, asset.id);
    res.json({ items: list.map((v) => present(asset.id, v, asset.currentVersion)) });
  });

  router.post("/assets/:id/versions", async (req, res) => {
    const { userId, loaders } = locals(res);
    const upload = await readMultipartUpload(req);
    const { asset, version } = await versions.upload(userId, req.params.id, {
      filename: upload.filename,
      stream: upload.stream,
      changeDescription: upload.fields.change_description,
      requestComplete: upload.complete,
      requestId: String(req.id),
    });
    res.status(201).json({ version: present(asset.id, version, asset.currentVersion), asset: await presentAsset(asset, loaders, services.urls) });
  });

  router.get("/assets/:id/versions/compare", async (req, res) => {
    const comparison = await versions.compare(locals(res).userId, req.params.id, versionParam(req.query.from, "from"), versionParam(req.query.to, "to"));
    res.json(presentComparison(config.publicUrl, req.params.id, comparison));
  });

  router.get("/assets/:id/versions/:v", async (req, res) => {
    const { asset, version } = await versions.get(locals(res).userId, req.params.id, versionParam(req.params.v, "v"));
    res.json(present(asset.id, version, asset.currentVersion));
  });

  router.get("/assets/:id/versions/:v/download", async (req, res) => {
    const { version } = await versions.get(locals(res).userId, req.params.id, versionParam(req.params.v, "v"));
    await sendStoredFile(req, res, services.storage, originalFile(version));
  });

  router.get("/assets/:id/versions/:v/derivatives/:kind", async (req, res) => {
    const { asset, derivative } = await services.assets.getDerivative(locals(res).userId, req.params.id, req.params.kind, versionParam(req.params.v, "v"));
    await sendStoredFile(req, res, services.storage, derivativeFile(asset, derivative));
  });

  router.delete("/assets/:id/versions/:v", async (req, res) => {
    await versions.delete(locals(res).userId, req.params.id, versionParam(req.params.v, "v"));
    res.status(204).end();
  });

  router.post("/assets/:id/versions/:v/rollback", async (req, res) => {
    const { userId, loaders } = locals(res);
    const asset = await versions.rollback(userId, req.params.id, versionParam(req.params.v, "v"));
    res.json(await presentAsset(asset, loaders, services.urls));
  });

  return router;
}

function versionParam(value: unknown, name: string): number {
  const n = typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw validationFailed({ [name]: "must be a version number" });
  return n;
}

export function presentVersion(publicUrl: string, assetId: string, version: AssetVersion, currentVersion: number) {
  const base = `${publicUrl}/v1/assets/${assetId}/versions/${version.versionNumber}`;
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
    urls: { download: `${base}/download`, preview: `${base}/derivatives/preview` },
  };
}

function presentComparison(publicUrl: string, assetId: string, c: VersionComparison) {
  const visual = c.assetType === "image" || c.assetType === "logo";
  return {
    from: c.from.versionNumber,
    to: c.to.versionNumber,
    metadata: c.metadata,
    size: { from: c.size.from, to: c.size.to, change_bytes: c.size.changeBytes, change_percent: c.size.changePercent },
    previews: visual
      ? {
          from: `${publicUrl}/v1/assets/${assetId}/versions/${c.from.versionNumber}/derivatives/preview`,
          to: `${publicUrl}/v1/assets/${assetId}/versions/${c.to.versionNumber}/derivatives/preview`,
        }
      : null,
  };
}

