import sharp from "sharp";
import { fromBase, stillBase, stillPipeline, THUMBNAIL_SIZE, writePreview, writeThumbnail, type StillBase } from "../media/still-base";
import type { DeriveContext, StagedDerivative } from "./derivative";

export interface StillsOptions {
  /** Rendering density for vector input (SVG); pixels per inch. */
  density?: number;
  /**
   * The preview the upload already made while checking the file (it decoded it once, at preview
   * size): only the thumbnail is left to make, from that preview, so the original is not decoded
   * again.
   */
  existingPreview?: string;
}

/**
 * A 150x150 cover thumbnail and a preview whose longest side is at most 600 px, both WebP, from one
 * decode: EXIF orientation applied, first frame only, converted to 8-bit sRGB (CMYK and 16-bit
 * included), alpha kept, and no metadata (EXIF, GPS, ICC) carried into the outputs.
 */
export async function renderStills(input: string | Buffer, ctx: DeriveContext, options: StillsOptions = {}): Promise<StagedDerivative[]> {
  const decode = { maxPixels: ctx.maxImagePixels, timeoutMs: ctx.timeoutMs, density: options.density };
  const thumbnailPath = ctx.stagingPath("thumbnail", "webp");
  if (options.existingPreview) {
    const preview = await stillBase(options.existingPreview, decode);
    const thumbnail = await writeThumbnail(await thumbnailSource(input, preview, decode), thumbnailPath);
    return [{ kind: "thumbnail", stagedPath: thumbnailPath, extension: "webp", mimeType: "image/webp", ...thumbnail }];
  }
  const base = await stillBase(input, decode);
  const previewPath = ctx.stagingPath("preview", "webp");
  // The two encodes run side by side (libvips uses its own threads).
  const [preview, thumbnail] = await Promise.all([writePreview(base, previewPath), writeThumbnail(await thumbnailSource(input, base, decode), thumbnailPath)]);
  return [
    { kind: "thumbnail", stagedPath: thumbnailPath, extension: "webp", mimeType: "image/webp", width: thumbnail.width, height: thumbnail.height },
    { kind: "preview", stagedPath: previewPath, extension: "webp", mimeType: "image/webp", width: preview.width, height: preview.height },
  ];
}

/**
 * A very wide or tall image shrinks below 150 px on its short side in the preview; its thumbnail
 * then comes from the original so that the crop is not an upscaled sliver.
 */
async function thumbnailSource(input: string | Buffer, base: StillBase, decode: { maxPixels: number; timeoutMs: number; density?: number }): Promise<sharp.Sharp> {
  const shortSide = Math.min(base.info.width, base.info.height);
  if (shortSide >= THUMBNAIL_SIZE) return fromBase(base);
  const header = await sharp(input, { limitInputPixels: false, density: decode.density }).metadata();
  return Math.min(header.width ?? 0, header.height ?? 0) > shortSide ? stillPipeline(input, decode) : fromBase(base);
}
