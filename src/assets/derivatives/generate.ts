import fs from "node:fs/promises";
import type { Asset } from "../entities";
import type { MediaFormat } from "../asset-types";
import { fontSpecimenSvg } from "../media/font";
import { decodeEveryFrame } from "../media/image";
import type { ProbedFormat } from "../media/ffmpeg";
import { audioDerivatives } from "./audio";
import type { DeriveContext, Derived } from "./derivative";
import { svgDensity } from "./picture-hash";
import { renderStills } from "./stills";
import { videoDerivatives } from "./video";

/** Which derivatives each asset type gets; a test holds every accepted fixture to this list. */
export const DERIVATIVES_BY_TYPE = {
  image: ["thumbnail", "preview"],
  logo: ["thumbnail", "preview"],
  font: ["thumbnail", "preview"],
  audio: ["thumbnail", "preview", "waveform", "clip"],
  video: ["thumbnail", "preview", "clip"],
} as const;

/**
 * Makes every derivative of one stored file, in the staging area. A raster image's decode here is
 * its one decode and its integrity check: strict, and every frame of an animation checked beside
 * it, so damaged pixel data fails with INCOMPLETE_UPLOAD (the job then marks the asset failed).
 */
export async function generateDerivatives(
  asset: Pick<Asset, "assetType" | "metadata">,
  format: MediaFormat,
  file: string,
  ctx: DeriveContext,
): Promise<Derived> {
  const duration = Number(asset.metadata.duration_seconds ?? 0);
  switch (asset.assetType) {
    case "image":
      return renderRaster(file, asset, ctx);
    case "logo":
      return format === "svg" ? renderSvgLogo(file, asset, ctx) : renderRaster(file, asset, ctx);
    case "font":
      return renderStills(Buffer.from(await fontSpecimenSvg(file, ctx.timeoutMs)), ctx);
    case "audio":
      return audioDerivatives({ file, format: format as ProbedFormat, durationSeconds: duration, hasCoverArt: asset.metadata.has_cover_art === true }, ctx);
    case "video":
      return videoDerivatives(file, format as ProbedFormat, duration, asset.metadata.has_audio === true, ctx);
  }
}

async function renderRaster(file: string, asset: Pick<Asset, "metadata">, ctx: DeriveContext): Promise<Derived> {
  const frames = Number(asset.metadata.frames) || 1;
  const limits = { maxPixels: ctx.maxImagePixels, timeoutMs: ctx.timeoutMs };
  // Both run to the end before either's failure is reported (nothing is left decoding).
  const [stills, everyFrame] = await Promise.allSettled([renderStills(file, ctx, { strict: true }), frames > 1 ? decodeEveryFrame(file, frames, limits) : undefined]);
  if (everyFrame.status === "rejected") throw everyFrame.reason;
  if (stills.status === "rejected") throw stills.reason;
  return stills.value;
}

/** SVG goes to sharp as a buffer, rendered at the density svgDensity gives. */
async function renderSvgLogo(file: string, asset: Pick<Asset, "metadata">, ctx: DeriveContext): Promise<Derived> {
  return renderStills(await fs.readFile(file), ctx, { density: svgDensity(asset.metadata) });
}
