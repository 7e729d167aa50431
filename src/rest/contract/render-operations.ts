import { z } from "zod";
import { MAX_DPR, RENDER_FITS, RENDER_FORMATS, RENDER_PRESETS } from "../../assets/render/render-params";
import { FILE_ANSWERS } from "./asset-operations";
import { defineOperations, ok } from "./operation";
import { AssetParams } from "./requests";
import { Asset } from "./schemas";

/**
 * The transform parameters, as strings: the render service checks them all in one place (400 for a
 * malformed one, 413 RENDER_TOO_LARGE for an output over the limits), the same for every route.
 */
export const RenderQuery = z.object({
  w: z.string().optional().openapi({ description: "Width in CSS pixels (multiplied by `dpr`)" }),
  h: z.string().optional().openapi({ description: "Height in CSS pixels (multiplied by `dpr`)" }),
  fit: z.string().optional().openapi({ description: `${RENDER_FITS.join(", ")} (default cover; with one side given, inside). cover crops around the focal point`, examples: [...RENDER_FITS] }),
  format: z.string().optional().openapi({ description: `${RENDER_FORMATS.join(", ")} (default webp)`, examples: [...RENDER_FORMATS] }),
  q: z.string().optional().openapi({ description: "Quality, 1 to 100 (defaults: webp 80, avif 55, jpeg 82; png is lossless)" }),
  dpr: z.string().optional().openapi({ description: `Device pixel ratio, 1 to ${MAX_DPR}` }),
  preset: z.string().optional().openapi({ description: `A named size: ${Object.keys(RENDER_PRESETS).join(", ")}; parameters beside it override it`, examples: Object.keys(RENDER_PRESETS) }),
});
const RenderOfVersionQuery = RenderQuery.extend({
  version: z.coerce.number().int().min(1).max(999_999_999).optional().openapi({ description: "Render this version (the answer may then be cached for good)" }),
});
const SignedRenderParams = z.object({
  asset_id: z.string().openapi({ description: "The asset's id" }),
  version: z.string().openapi({ description: "The version number the URL names" }),
});
const SignedRenderQuery = RenderQuery.omit({ preset: true, dpr: true }).extend({
  user: z.string().optional().openapi({ description: "The owner the URL was signed for" }),
  expires: z.string().optional().openapi({ description: "Expiry, Unix seconds" }),
  sig: z.string().optional().openapi({ description: "HMAC-SHA256 of every other part of the URL" }),
});
const RenderUrlQuery = RenderQuery.extend({ expires_in: z.coerce.number().int().min(1).max(999_999_999).optional().openapi({ description: "Lifetime in seconds" }) });
const FocalPointBody = z.object({ x: z.number(), y: z.number() }).openapi("FocalPointChange");
const RENDER_ERRORS = ["NOT_FOUND", "RENDER_TOO_LARGE", "INVALID_FILE_TYPE", "CONFLICT", "SERVICE_UNAVAILABLE"] as const;
const RENDER_ANSWERS = { 200: FILE_ANSWERS[200], 304: FILE_ANSWERS[304] };

/** On-the-fly transforms: authenticated, signed for `<img>`, and the focal point their crops keep. */
export const RENDER_OPERATIONS = defineOperations({
  renderAsset: {
    operationId: "renderAsset", method: "get", path: "/v1/assets/{id}/render", tag: "Files",
    summary: "The picture at any size and format",
    description: "Images, logos (SVG rasterised), video posters and font specimens. Rendered once per source and normal form, then served from the cache with its ETag.",
    params: AssetParams, query: RenderOfVersionQuery, answers: RENDER_ANSWERS, errors: [...RENDER_ERRORS],
  },
  getRenderUrl: {
    operationId: "getRenderUrl", method: "get", path: "/v1/assets/{id}/render-url", tag: "Files",
    summary: "A signed URL of a render, for <img src>", params: AssetParams, query: RenderUrlQuery,
    answers: { 200: ok("The URL and its expiry", z.strictObject({ url: z.string(), expires_at: z.string() }).openapi("SignedRenderUrl")) },
    errors: ["NOT_FOUND", "RENDER_TOO_LARGE"],
  },
  getSignedRender: {
    operationId: "getSignedRender", method: "get", path: "/v1/renders/{asset_id}/{version}", tag: "Files", public: true,
    summary: "A signed render (no token: the signature covers every parameter)", params: SignedRenderParams, query: SignedRenderQuery,
    answers: RENDER_ANSWERS, errors: [...RENDER_ERRORS, "URL_EXPIRED", "INVALID_SIGNATURE"],
  },
  setFocalPoint: {
    operationId: "setFocalPoint", method: "put", path: "/v1/assets/{id}/focal-point", tag: "Assets",
    summary: "Set the point cover crops keep", description: "`x` and `y` from 0 (left, top) to 1 (right, bottom).",
    params: AssetParams, body: FocalPointBody, answers: { 200: ok("The asset", Asset) }, errors: ["NOT_FOUND"],
  },
  clearFocalPoint: {
    operationId: "clearFocalPoint", method: "delete", path: "/v1/assets/{id}/focal-point", tag: "Assets",
    summary: "Crop around the centre again", params: AssetParams, answers: { 200: ok("The asset", Asset) }, errors: ["NOT_FOUND"],
  },
});
