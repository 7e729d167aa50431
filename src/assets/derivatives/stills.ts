import { undecodable } from "../media/image";
import { stillBase, writePreview, writeThumbnail, type StillBase } from "../media/still-base";
import { visualSummary, type VisualSummary } from "../media/visual-summary";
import type { DeriveContext, Derived } from "./derivative";

export interface StillsOptions {
  /** Rendering density for vector input (SVG); pixels per inch. */
  density?: number;
  /**
   * Any decoder warning fails the decode, reported as the image being corrupt: for a raster
   * image this decode is also its integrity check (the upload only checked its structure).
   */
  strict?: boolean;
}

/** Still derivatives and what the picture looks like (placeholder, colours). */
export interface Stills extends Derived {
  visual: VisualSummary;
}

/**
 * A 150x150 cover thumbnail and a preview whose longest side is at most 600 px, both WebP, from one
 * decode: EXIF orientation applied, first frame only, converted to 8-bit sRGB (CMYK and 16-bit
 * included), alpha kept, and no metadata (EXIF, GPS, ICC) carried into the outputs. The placeholder
 * and colours come from the same decode.
 */
export async function renderStills(input: string | Buffer, ctx: DeriveContext, options: StillsOptions = {}): Promise<Stills> {
  const decode = { maxPixels: ctx.maxImagePixels, timeoutMs: ctx.timeoutMs, density: options.density, failOn: options.strict ? ("warning" as const) : ("error" as const) };
  const thumbnailPath = ctx.stagingPath("thumbnail", "webp");
  const previewPath = ctx.stagingPath("preview", "webp");
  let base: StillBase;
  try {
    base = await stillBase(input, decode);
  } catch (error) {
    throw options.strict ? undecodable(error) : error;
  }
  // The two encodes run side by side (libvips uses its own threads).
  const [preview, thumbnail, visual] = await Promise.all([writePreview(base, previewPath), writeThumbnail(input, base, decode, thumbnailPath), visualSummary(base)]);
  return {
    derivatives: [
      { kind: "thumbnail", stagedPath: thumbnailPath, extension: "webp", mimeType: "image/webp", width: thumbnail.width, height: thumbnail.height },
      { kind: "preview", stagedPath: previewPath, extension: "webp", mimeType: "image/webp", width: preview.width, height: preview.height },
    ],
    visual,
  };
}
