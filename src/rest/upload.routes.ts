import type { IncomingMessage } from "node:http";
import { Router, type Request, type Response } from "express";
import { Server, type ServerOptions } from "@tus/server";
import { ERRORS, EVENTS, Metadata, type Locker } from "@tus/utils";
import type { Logger } from "pino";
import { MAX_UPLOAD_BYTES } from "../assets/asset-types";
import { parseUploadChecksum, withChunkChecksum } from "../assets/resumable/chunk-checksum";
import type { PreparedUpload, ResumableUploadState } from "../assets/resumable/resumable-uploads.service";
import { isUuid } from "../assets/validation";
import { AppError, toAppError, validationFailed } from "../errors";
import type { Services } from "../services";
import { presentAsset } from "./asset.presenter";
import { mount } from "./contract/route";
import { UPLOAD_OPERATIONS as op } from "./contract/upload-operations";
import { locals } from "./request-context";

export const UPLOADS_PATH = "/v1/uploads";

/**
 * Resumable uploads (tus 1.0) at /v1/uploads, served by @tus/server: creation,
 * creation-with-upload, termination, expiration and checksum (sha256). These handlers check the
 * caller and the upload first (answering in the API's JSON errors), then hand the request to
 * @tus/server; `GET /v1/uploads/{id}` tells the outcome. OPTIONS (protocol discovery) needs no
 * token, so it is served by `resumableUploadDiscovery` among the public routes.
 */
export function resumableUploadRoutes(services: Services, tus: Server): Router {
  const router = Router();
  const uploads = services.resumableUploads;

  mount(router, op.createUpload, async (req, res) => {
    const prepared = await uploads.prepare(locals(res).userId, declaredLength(req), uploadMetadata(req));
    preparedUploads.set(req, prepared);
    await handOver(tus, req, res);
  });

  mount(router, op.getUploadOffset, async (req, res) => {
    const upload = await uploads.requireOwn(locals(res).userId, req.params.id);
    if (upload.status === "receiving") return handOver(tus, req, res);
    // The bytes are gone once processed; a client resuming learns that all of them arrived.
    res.set({ "Tus-Resumable": "1.0.0", "Upload-Offset": String(upload.length), "Upload-Length": String(upload.length), "Cache-Control": "no-store" }).status(200).end();
  });

  mount(router, op.appendUpload, async (req, res) => {
    const upload = await uploads.requireOwn(locals(res).userId, req.params.id);
    if (upload.status !== "receiving") throw new AppError("CONFLICT", "This upload has already received all its bytes", { status: upload.status });
    await handOver(tus, req, res);
  });

  mount(router, op.terminateUpload, async (req, res) => {
    const { userId } = locals(res);
    const upload = await uploads.requireOwn(userId, req.params.id);
    if (upload.status === "receiving") {
      await handOver(tus, req, res);
      if (res.statusCode === 204) await uploads.forget(userId, upload.id);
      return;
    }
    if (upload.status === "processing") throw new AppError("CONFLICT", "This upload is being processed; it can no longer be ended");
    await uploads.forget(userId, upload.id);
    res.set("Tus-Resumable", "1.0.0").status(204).end();
  });

  mount(router, op.getUpload, async (req, res) => {
    const { userId, loaders } = locals(res);
    const state = await uploads.state(userId, req.params.id);
    res.set("Cache-Control", "no-store").json(await presentUpload(state, (asset) => presentAsset(asset, loaders, services.urls)));
  });

  return router;
}

/** OPTIONS /v1/uploads[/{id}]: what the server supports (versions, extensions, max size, checksum algorithms). */
export function resumableUploadDiscovery(tus: Server): Router {
  const router = Router();
  router.options(["/uploads", "/uploads/:id"], async (req, res) => {
    res.setHeader("Tus-Checksum-Algorithm", "sha256");
    await tus.handle(req, res);
  });
  return router;
}

/** The @tus/server that stores the bytes; ownership and outcomes are the service's. */
export function createTusServer(services: Services, locker: Locker, log: Logger): Server {
  const uploads = services.resumableUploads;
  const { keyOf, uploadIdOf } = uploads.tus;
  const options: ServerOptions & { datastore: Server["datastore"] } = {
    path: UPLOADS_PATH,
    datastore: uploads.tus.store,
    locker,
    maxSize: MAX_UPLOAD_BYTES,
    // CORS is the whole API's (CORS_ORIGINS, src/http/cors.ts): @tus/server adds none of its own.
    allowedOrigins: () => false,
    namingFunction: (req) => keyOf(preparedFor(req).id),
    // Only a UUID names an upload: anything else is no upload (404), never a path in the store.
    getFileIdFromRequest: (_req, lastPath) => (isUuid(lastPath) ? keyOf(lastPath.toLowerCase()) : undefined),
    generateUrl: (_req, { path, id }) => `${path}/${uploadIdOf(id)}`,
    onUploadCreate: async (req) => {
      await uploads.record(preparedFor(req));
      return {};
    },
    // @tus/server answers its own protocol errors (409 offset, 460 checksum…); a lock another
    // request keeps is 423 (tus clients retry it), and anything else is mapped as everywhere
    // (an unreachable store is 503, never a bare 500).
    onResponseError: (_req, error) => {
      if (error === ERRORS.ERR_LOCK_TIMEOUT) return { status_code: 423, body: "The upload is in use by another request; retry shortly\n" };
      if ("status_code" in error) return undefined;
      const appError = toAppError(error);
      if (appError.code === "INTERNAL") log.error({ err: error }, "unexpected resumable upload error");
      else log.warn({ err: (error as Error & { cause?: unknown }).cause ?? error }, "resumable upload failed");
      return { status_code: appError.status, body: `${appError.message}\n` };
    },
    // The last PATCH (or a POST carrying the whole file) answers once the upload has been
    // processed; it answers 204 whatever the outcome, which GET /v1/uploads/{id} tells.
    onUploadFinish: async (req, upload) => {
      const { res } = nodePair(req);
      await uploads.complete(locals(res).userId, uploadIdOf(upload.id)!, String(res.req.id));
      return {};
    },
  };
  const server = new Server(options);
  // After the answer to the request that completed an upload: its received bytes go.
  server.on(EVENTS.POST_FINISH, (_req: unknown, _res: unknown, upload: { id: string }) => {
    const uploadId = uploadIdOf(upload.id);
    if (uploadId) void uploads.discardBytes(uploadId);
  });
  return server;
}

/** Runs @tus/server on the request, with the chunk's `Upload-Checksum` where its store can see it. */
async function handOver(tus: Server, req: Request, res: Response): Promise<void> {
  const checksum = parseUploadChecksum(req.header("upload-checksum"));
  if (checksum && "problem" in checksum) throw validationFailed({ "Upload-Checksum": checksum.problem });
  await withChunkChecksum(checksum, () => tus.handle(req, res));
}

const preparedUploads = new WeakMap<IncomingMessage, PreparedUpload>();

function preparedFor(req: Parameters<NonNullable<ServerOptions["onUploadCreate"]>>[0]): PreparedUpload {
  const prepared = preparedUploads.get(nodePair(req).req);
  if (!prepared) throw new Error("an upload reached @tus/server without being prepared");
  return prepared;
}

/** The Node request and (express) response behind @tus/server's web request. */
function nodePair(req: unknown): { req: Request; res: Response } {
  const node = (req as { runtime?: { node?: { req: Request; res: Response } } }).runtime?.node;
  if (!node) throw new Error("@tus/server request without its Node request");
  return node;
}

function declaredLength(req: Request): number | undefined {
  const header = req.header("upload-length");
  if (header === undefined) return undefined;
  if (!/^\d{1,15}$/.test(header)) throw validationFailed({ "Upload-Length": "must be a non-negative integer" });
  return Number(header);
}

function uploadMetadata(req: Request): Record<string, string | null | undefined> {
  const header = req.header("upload-metadata");
  if (!header) return {};
  try {
    return Metadata.parse(header) as Record<string, string | null | undefined>;
  } catch {
    throw validationFailed({ "Upload-Metadata": "must be comma-separated `key base64value` pairs" });
  }
}

async function presentUpload(state: ResumableUploadState, present: (asset: NonNullable<ResumableUploadState["asset"]>) => Promise<unknown>) {
  return {
    upload_id: state.id,
    status: state.status,
    offset: state.offset,
    length: state.length,
    filename: state.filename,
    asset_id: state.assetId,
    version_number: state.versionNumber,
    linked: state.linked,
    asset: state.asset ? await present(state.asset) : null,
    error: state.error,
    created_at: state.createdAt.toISOString(),
    expires_at: state.expiresAt.toISOString(),
    finished_at: state.finishedAt?.toISOString() ?? null,
  };
}
