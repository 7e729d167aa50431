import sharp from "sharp";
import { PREVIEW_MAX, THUMBNAIL_SIZE, type DeriveContext, type StagedDerivative } from "./derivative";

export interface StillsOptions {
  /** Rendering density for vector input (SVG); pixels per inch. */
  density?: number;
}

/**
 * A 150x150 cover thumbnail and a preview whose longest side is at most 600 px, both WebP, from one
 * decode: EXIF orientation applied, first frame only, converted to 8-bit sRGB (CMYK and 16-bit
 * included), alpha kept, and no metadata (EXIF, GPS, ICC) carried into the outputs.
 */
export async function renderStills(input: string | Buffer, ctx: DeriveContext, options: StillsOptions = {}): Promise<StagedDerivative[]> {
  const seconds = Math.max(1, Math.ceil(ctx.timeoutMs / 1000));
  const open = () =>
    sharp(input, { pages: 1, limitInputPixels: ctx.maxImagePixels, density: options.density, failOn: "error" })
      .timeout({ seconds })
      .rotate()
      .toColourspace("srgb");

  const base = await open()
    .resize(PREVIEW_MAX, PREVIEW_MAX, { fit: "inside", withoutEnlargement: true })
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  const raw = { raw: { width: base.info.width, height: base.info.height, channels: base.info.channels } };

  const previewPath = ctx.stagingPath("preview", "webp");
  const thumbnailPath = ctx.stagingPath("thumbnail", "webp");
  // A very wide or tall image shrinks below 150 px on its short side in the preview; its thumbnail
  // then comes from the original so that the crop is not an upscaled sliver.
  const shortSide = Math.min(base.info.width, base.info.height);
  const thumbnailSource = shortSide < THUMBNAIL_SIZE && (await hasMorePixels(input, options, shortSide)) ? open() : sharp(base.data, raw);
  // The two encodes run side by side (libvips uses its own threads).
  const [preview, thumbnail] = await Promise.all([
    sharp(base.data, raw).webp({ quality: 82, alphaQuality: 90 }).toFile(previewPath),
    thumbnailSource
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: "cover", position: "attention" })
      .webp({ quality: 80, alphaQuality: 90 })
      .toFile(thumbnailPath),
  ]);

  return [
    { kind: "thumbnail", stagedPath: thumbnailPath, extension: "webp", mimeType: "image/webp", width: thumbnail.width, height: thumbnail.height },
    { kind: "preview", stagedPath: previewPath, extension: "webp", mimeType: "image/webp", width: preview.width, height: preview.height },
  ];
}

async function hasMorePixels(input: string | Buffer, options: StillsOptions, shortSide: number): Promise<boolean> {
  const header = await sharp(input, { limitInputPixels: false, density: options.density }).metadata();
  return Math.min(header.width ?? 0, header.height ?? 0) > shortSide;
}
