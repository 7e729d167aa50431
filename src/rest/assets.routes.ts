import { Router, json } from "express";
import { validationFailed } from "../errors";
import { sendStoredFile } from "../http/send-file";
import type { Services } from "../services";
import { parseSearch, type RawSearch } from "../assets/search-input";
import { presentAsset, presentSearch } from "./asset.presenter";
import { readMultipartUpload } from "./multipart";
import { locals } from "./request-context";

/** /v1/assets: upload, list, read, update, delete, download. Each handler calls one service method. */
export function assetRoutes(services: Services): Router {
  const router = Router();
  const { assets, config } = services;

  router.post("/assets/upload", async (req, res) => {
    const { userId, loaders } = locals(res);
    const upload = await readMultipartUpload(req);
    const { asset, created } = await assets.upload(userId, {
      filename: upload.filename,
      stream: upload.stream,
      name: upload.fields.name,
      description: upload.fields.description,
      folderId: upload.fields.folder_id,
      assetType: upload.fields.asset_type,
      tags: upload.fields.tags ? upload.fields.tags.split(",") : undefined,
      onDuplicate: upload.fields.on_duplicate,
      requestComplete: upload.complete,
    });
    res.status(created ? 201 : 200).json(await presentAsset(asset, loaders, config.publicUrl));
  });

  router.get("/assets", async (req, res) => {
    const { userId, loaders } = locals(res);
    const result = await services.search.search(userId, parseSearch(req.query as RawSearch));
    res.json(await presentSearch(result, loaders, config.publicUrl));
  });

  router.post("/assets/search", json({ limit: "64kb" }), async (req, res) => {
    const { userId, loaders } = locals(res);
    const result = await services.search.search(userId, parseSearch(objectBody(req.body) as RawSearch));
    res.json(await presentSearch(result, loaders, config.publicUrl));
  });

  router.get("/assets/:id", async (req, res) => {
    const { userId, loaders } = locals(res);
    res.json(await presentAsset(await assets.get(userId, req.params.id), loaders, config.publicUrl));
  });

  router.put("/assets/:id", json({ limit: "64kb" }), async (req, res) => {
    const { userId, loaders } = locals(res);
    const body = objectBody(req.body);
    const asset = await assets.update(userId, req.params.id, {
      name: optionalString(body, "name"),
      description: nullableString(body, "description"),
      folderId: nullableString(body, "folder_id"),
    });
    res.json(await presentAsset(asset, loaders, config.publicUrl));
  });

  router.delete("/assets/:id", async (req, res) => {
    const { userId, loaders } = locals(res);
    const asset = await assets.delete(userId, req.params.id, booleanParam(req.query.force, "force"));
    res.json(await presentAsset(asset, loaders, config.publicUrl));
  });

  router.get("/assets/:id/download", async (req, res) => {
    const asset = await assets.get(locals(res).userId, req.params.id);
    await sendStoredFile(req, res, services.storage, {
      key: asset.storagePath,
      size: asset.fileSize,
      mimeType: asset.mimeType,
      etag: asset.checksum,
      filename: asset.originalFilename,
    });
  });

  router.get("/assets/:id/derivatives/:kind", async (req, res) => {
    const { asset, derivative } = await assets.getDerivative(locals(res).userId, req.params.id, req.params.kind);
    await sendStoredFile(req, res, services.storage, {
      key: derivative.storagePath,
      size: derivative.fileSize,
      mimeType: derivative.mimeType,
      etag: `${asset.checksum.slice(0, 16)}-v${derivative.versionNumber}-${derivative.kind}-${derivative.fileSize}`,
      filename: `${asset.name}-${derivative.kind}.${derivative.storagePath.split(".").pop()}`,
    });
  });

  return router;
}

export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw validationFailed({ body: "must be a JSON object" });
  return body as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw validationFailed({ [key]: "must be a string" });
  return value;
}

export function nullableString(body: Record<string, unknown>, key: string): string | null | undefined {
  return body[key] === null ? null : optionalString(body, key);
}

export function booleanParam(value: unknown, name: string): boolean {
  if (value === undefined || value === "false" || value === "0") return false;
  if (value === "true" || value === "1" || value === "") return true;
  throw validationFailed({ [name]: "must be true or false" });
}
