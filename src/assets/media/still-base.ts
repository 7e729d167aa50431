import sharp from "sharp";

/** The longest side of a preview, and the side of the square thumbnail. */
export const PREVIEW_MAX = 600;
export const THUMBNAIL_SIZE = 150;

/** A decoded image at preview size: orientation applied, 8-bit sRGB, alpha kept, raw pixels. */
export interface StillBase {
  data: Buffer;
  info: { width: number; height: number; channels: 1 | 2 | 3 | 4 };
}

export interface StillBaseOptions {
  maxPixels: number;
  timeoutMs: number;
  /** Rendering density for vector input (SVG); pixels per inch. */
  density?: number;
  /** "warning" refuses any decoder complaint (the upload's integrity check); "error" only failures. */
  failOn?: "warning" | "error";
}

/**
 * Decodes the first frame once, shrinking while it decodes (a JPEG is read at an eighth of its
 * size where that is enough), into the base every still is made from.
 */
export async function stillBase(input: string | Buffer, options: StillBaseOptions): Promise<StillBase> {
  const base = await stillPipeline(input, options)
    .resize(PREVIEW_MAX, PREVIEW_MAX, { fit: "inside", withoutEnlargement: true })
    .raw({ depth: "uchar" })
    .toBuffer({ resolveWithObject: true });
  return { data: base.data, info: { width: base.info.width, height: base.info.height, channels: base.info.channels } };
}

/** The first frame, oriented and in sRGB, before any resize (a thumbnail that needs more pixels than the base has). */
function stillPipeline(input: string | Buffer, options: StillBaseOptions): sharp.Sharp {
  return sharp(input, { pages: 1, sequentialRead: true, limitInputPixels: options.maxPixels, density: options.density, failOn: options.failOn ?? "error" })
    .timeout({ seconds: Math.max(1, Math.ceil(options.timeoutMs / 1000)) })
    .rotate()
    .toColourspace("srgb");
}

/** The preview: the base as WebP, no metadata carried over. */
export async function writePreview(base: StillBase, target: string): Promise<{ width: number; height: number; size: number }> {
  const info = await sharp(base.data, { raw: base.info }).webp({ quality: 82, alphaQuality: 90 }).toFile(target);
  return { width: info.width, height: info.height, size: info.size };
}

/**
 * The 150x150 thumbnail, cropped to what draws the eye. A very wide or tall image shrinks below
 * 150 px on its short side in the base; its thumbnail then comes from the original so that the
 * crop is not an upscaled sliver.
 */
export async function writeThumbnail(
  input: string | Buffer,
  base: StillBase,
  options: StillBaseOptions,
  target: string,
): Promise<{ width: number; height: number }> {
  const info = await (await thumbnailSource(input, base, options))
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: "cover", position: "attention" })
    .webp({ quality: 80, alphaQuality: 90 })
    .toFile(target);
  return { width: info.width, height: info.height };
}

async function thumbnailSource(input: string | Buffer, base: StillBase, options: StillBaseOptions): Promise<sharp.Sharp> {
  const fromBase = () => sharp(base.data, { raw: base.info });
  const shortSide = Math.min(base.info.width, base.info.height);
  if (shortSide >= THUMBNAIL_SIZE) return fromBase();
  const header = await sharp(input, { limitInputPixels: false, density: options.density }).metadata();
  return Math.min(header.width ?? 0, header.height ?? 0) > shortSide ? stillPipeline(input, options) : fromBase();
}

/** Rasterises an SVG the service drew itself (a waveform): PNG, or WebP over a background. */
export async function rasteriseSvg(svg: string, target: string, format: { png: true } | { webp: { background: string; quality: number } }): Promise<void> {
  const image = sharp(Buffer.from(svg));
  if ("png" in format) await image.png().toFile(target);
  else await image.flatten({ background: format.webp.background }).webp({ quality: format.webp.quality }).toFile(target);
}
