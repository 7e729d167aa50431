import { Router } from "express";
import { redirectToStore, sendStoredFile } from "../http/send-file";
import type { Services } from "../services";
import { openApiDocument } from "./contract/document";
import { mount } from "./contract/route";
import { UPLOAD_OPERATIONS as op } from "./contract/upload-operations";

/** The /v1 routes that need no bearer token: the API description, and signed URLs (which carry their own authority). */
export function publicRoutes(services: Services): Router {
  const router = Router();

  const document = openApiDocument();
  mount(router, op.getOpenApiDocument, (_req, res) => {
    res.json(document);
  });

  mount(router, op.getSignedFile, async (req, res, { params, query }) => {
    const { file, expires } = await services.files.openSigned({
      assetId: params.asset_id,
      version: params.version,
      variant: params.variant,
      user: query.user ?? "",
      expires: query.expires ?? "",
      sig: query.sig ?? "",
    });
    const remaining = Math.max(0, expires - Math.floor(Date.now() / 1000));
    if (services.config.s3?.downloadRedirect && (await redirectToStore(res, services.storage, file, remaining))) return;
    // The URL names one version's bytes until it expires: caches may keep them that long.
    await sendStoredFile(req, res, services.storage, file, `private, max-age=${remaining}, immutable`);
  });

  return router;
}
