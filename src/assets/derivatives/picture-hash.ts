import fs from "node:fs/promises";
import type { AssetType, MediaFormat } from "../asset-types";
import type { AssetMetadata } from "../entities/asset.entity";
import type { ProbedFormat } from "../media/ffmpeg";
import { undecodable } from "../media/image";
import { perceptualHash } from "../media/perceptual-hash";
import { extractPosterFrame } from "../media/poster-frame";
import { stillBase } from "../media/still-base";
import type { DeriveContext } from "./derivative";

/** SVG goes to sharp at a density that gives the preview its full 600 px (the job's stills and this hash alike). */
export function svgDensity(metadata: AssetMetadata): number {
  const longest = Math.max(Number(metadata.width) || 600, Number(metadata.height) || 600);
  return Math.min(2400, Math.max(1, (72 * 600) / longest));
}

/**
 * The perceptual hash the derivative job will give this file, made ahead of it (an upload that
 * asks for its near-duplicates): the same decode to the same still base, so the two agree bit for
 * bit. Images, logos and video posters have one; other types answer null. It costs the decode the
 * job's one decode would otherwise be (a shrink-on-load read of a JPEG; one ffmpeg frame of a
 * video), which is why it is made only when asked. A raster image that does not decode cleanly is
 * refused here as the job would fail it (INCOMPLETE_UPLOAD).
 */
export async function pictureHashAhead(
  file: string,
  source: { assetType: AssetType; format: MediaFormat; metadata: AssetMetadata },
  ctx: Omit<DeriveContext, "progress">,
): Promise<string | null> {
  const limits = { maxPixels: ctx.maxImagePixels, timeoutMs: ctx.timeoutMs };
  if (source.assetType === "video") {
    const poster = ctx.stagingPath("poster", "png");
    try {
      await extractPosterFrame({ file, format: source.format as ProbedFormat }, Number(source.metadata.duration_seconds ?? 0), poster, ctx);
      return await perceptualHash(await stillBase(poster, { ...limits, failOn: "error" }));
    } finally {
      await fs.rm(poster, { force: true });
    }
  }
  if (source.assetType !== "image" && source.assetType !== "logo") return null;
  if (source.format === "svg") return perceptualHash(await stillBase(await fs.readFile(file), { ...limits, density: svgDensity(source.metadata), failOn: "error" }));
  try {
    return await perceptualHash(await stillBase(file, { ...limits, failOn: "warning" }));
  } catch (error) {
    throw undecodable(error);
  }
}
