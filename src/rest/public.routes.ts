import { Router } from "express";
import { redirectToStore, sendStoredFile } from "../http/send-file";
import type { Services } from "../services";
import { openApiDocument } from "./contract/document";
import { mount } from "./contract/route";
import { presentedSignature, untilExpiry } from "./params";
import { UPLOAD_OPERATIONS as op } from "./contract/upload-operations";

/** The /v1 routes that need no bearer token: the API description, and signed URLs (which carry their own authority). */
export function publicRoutes(services: Services): Router {
  const router = Router();

  const document = openApiDocument();
  mount(router, op.getOpenApiDocument, (_req, res) => {
    res.json(document);
  });

  mount(router, op.getSignedFile, async (req, res, { params, query }) => {
    const { file, expires } = await services.files.openSigned({ ...presentedSignature(params, query), variant: params.variant });
    const { remaining, cacheControl } = untilExpiry(expires);
    if (services.config.s3?.downloadRedirect && (await redirectToStore(res, services.storage, file, remaining))) return;
    await sendStoredFile(req, res, services.storage, file, cacheControl);
  });

  return router;
}
