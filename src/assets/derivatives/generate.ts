import fs from "node:fs/promises";
import type { Asset } from "../entities";
import type { MediaFormat } from "../asset-types";
import { fontSpecimenSvg } from "../media/font";
import type { ProbedFormat } from "../media/ffprobe";
import { audioDerivatives } from "./audio";
import type { DeriveContext, StagedDerivative } from "./derivative";
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

/** Whether a format's stills can start from the preview its upload check made (raster images). */
export function usesUploadPreview(format: MediaFormat): boolean {
  return format === "jpg" || format === "png" || format === "webp" || format === "gif";
}

/**
 * Makes every derivative of one stored file, in the staging area. `existingPreview` is a local
 * copy of the preview the upload made for a raster image: only the thumbnail is then made.
 */
export async function generateDerivatives(
  asset: Pick<Asset, "assetType" | "metadata">,
  format: MediaFormat,
  file: string,
  ctx: DeriveContext,
  existingPreview?: string,
): Promise<StagedDerivative[]> {
  const duration = Number(asset.metadata.duration_seconds ?? 0);
  switch (asset.assetType) {
    case "image":
      return renderStills(file, ctx, { existingPreview });
    case "logo":
      return format === "svg" ? renderSvgLogo(file, asset, ctx) : renderStills(file, ctx, { existingPreview });
    case "font":
      return renderStills(Buffer.from(await fontSpecimenSvg(file, ctx.timeoutMs)), ctx);
    case "audio":
      return audioDerivatives(file, format as ProbedFormat, duration, ctx);
    case "video":
      return videoDerivatives(file, format as ProbedFormat, duration, asset.metadata.has_audio === true, ctx);
  }
}

/** SVG goes to sharp as a buffer, rendered at a density that gives the preview its full 600 px. */
async function renderSvgLogo(file: string, asset: Pick<Asset, "metadata">, ctx: DeriveContext): Promise<StagedDerivative[]> {
  const longest = Math.max(Number(asset.metadata.width) || 600, Number(asset.metadata.height) || 600);
  const density = Math.min(2400, Math.max(1, (72 * 600) / longest));
  return renderStills(await fs.readFile(file), ctx, { density });
}
