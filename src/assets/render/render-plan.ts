import type { PicturePlan } from "../media/render";
import type { FocalPoint } from "../entities/asset.entity";
import { checkOutputSize, type RenderLimits, type RenderRequest } from "./render-params";

const CENTRE: FocalPoint = { x: 0.5, y: 0.5 };
/** librsvg's ceiling on the density sharp renders vector input at. */
const MAX_DENSITY = 100_000;

/**
 * The exact output for a request and a source. A raster is never enlarged: a request beyond its
 * pixels gets the largest output of the same shape the source holds (a 4000x3000 photo asked for
 * 8000x1000 cover gives 4000x500). Vector sources (SVG logos, font specimens) render at any size.
 * With no size asked, the source's own size, within the longest side allowed. The planned output
 * is checked against the limits (413), so a one-sided request of a very long picture is refused
 * before anything is decoded.
 */
export function planRender(request: RenderRequest, source: { width: number; height: number }, vector: boolean, limits: RenderLimits, focal: FocalPoint | null): PicturePlan {
  const { width: sw, height: sh } = source;
  let width: number;
  let height: number;
  if (request.width !== null && request.height !== null && request.fit !== "inside") {
    const fill = request.fit === "cover" ? Math.max(request.width / sw, request.height / sh) : Math.min(request.width / sw, request.height / sh);
    const shrink = vector ? 1 : Math.max(1, fill);
    width = Math.max(1, Math.round(request.width / shrink));
    height = Math.max(1, Math.round(request.height / shrink));
  } else {
    const boxWidth = request.width ?? (request.height === null ? limits.maxSide : Infinity);
    const boxHeight = request.height ?? (request.width === null ? limits.maxSide : Infinity);
    let scale = Math.min(boxWidth / sw, boxHeight / sh);
    if (!vector || (request.width === null && request.height === null)) scale = Math.min(scale, 1);
    width = Math.max(1, Math.round(sw * scale));
    height = Math.max(1, Math.round(sh * scale));
  }
  checkOutputSize(width, height, limits);
  const density = vector ? Math.min(MAX_DENSITY, Math.max(1, 72 * Math.max(width / sw, height / sh))) : undefined;
  return { width, height, fit: request.fit, focal: focal ?? CENTRE, format: request.format, quality: request.quality, density, source };
}
