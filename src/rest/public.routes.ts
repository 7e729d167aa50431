import { Router } from "express";
import { redirectToStore, sendStoredFile } from "../http/send-file";
import type { Services } from "../services";
import { OPENAPI_DOCUMENT } from "./openapi";

/** The /v1 routes that need no bearer token: the API description, and signed URLs (which carry their own authority). */
export function publicRoutes(services: Services): Router {
  const router = Router();

  router.get("/openapi.json", (_req, res) => {
    res.json(OPENAPI_DOCUMENT);
  });

  router.get("/files/:assetId/:version/:variant", async (req, res) => {
    const { file, expires } = await services.files.openSigned({
      assetId: req.params.assetId,
      version: req.params.version,
      variant: req.params.variant,
      user: String(req.query.user ?? ""),
      expires: String(req.query.expires ?? ""),
      sig: String(req.query.sig ?? ""),
    });
    const remaining = Math.max(0, expires - Math.floor(Date.now() / 1000));
    if (services.config.s3?.downloadRedirect && (await redirectToStore(res, services.storage, file, remaining))) return;
    // The URL names one version's bytes until it expires: caches may keep them that long.
    await sendStoredFile(req, res, services.storage, file, `private, max-age=${remaining}, immutable`);
  });

  return router;
}
