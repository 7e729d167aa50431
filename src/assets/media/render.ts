import sharp from "sharp";

export type PictureFormat = "webp" | "avif" | "jpeg" | "png";

/** A picture to render from: a raster file, or vector text (SVG) rendered at the density asked. */
export interface PictureInput {
  input: string | Buffer;
  vector: boolean;
  maxPixels: number;
  timeoutMs: number;
}

/** Exactly what to make: the output's size (already planned), how the source fills it, the encoding. */
export interface PicturePlan {
  width: number;
  height: number;
  fit: "cover" | "contain" | "inside";
  /** For `cover`: where the crop keeps the subject (fractions from the top left). */
  focal: { x: number; y: number };
  format: PictureFormat;
  /** null for png (lossless). */
  quality: number | null;
  /** For vector input: the density (dpi) that renders it at least this large. */
  density?: number;
  /** The source's shown size (see `pictureSize`), whose aspect the cover crop scales by. */
  source: { width: number; height: number };
}

/** The picture's size as it is shown: EXIF orientation applied, vector input at 72 dpi. */
export async function pictureSize(source: PictureInput): Promise<{ width: number; height: number }> {
  const meta = await sharp(source.input, { limitInputPixels: source.maxPixels, pages: 1 }).metadata();
  if (!meta.width || !meta.height) throw new Error("the picture has no size");
  const turned = (meta.orientation ?? 1) >= 5;
  return turned ? { width: meta.height, height: meta.width } : { width: meta.width, height: meta.height };
}

/**
 * Renders the first frame at the planned size: oriented, in sRGB, no metadata carried over. A
 * cover crop is cut around the focal point (sharp's own positions know only edges and centre);
 * contain pads with transparency, or white where the format has no alpha.
 */
export async function renderPicture(source: PictureInput, plan: PicturePlan, target: string): Promise<{ width: number; height: number; size: number }> {
  let image = sharp(source.input, { pages: 1, sequentialRead: true, limitInputPixels: source.maxPixels, density: source.vector ? plan.density : undefined, failOn: "error" })
    .timeout({ seconds: Math.max(1, Math.ceil(source.timeoutMs / 1000)) })
    .rotate()
    .toColourspace("srgb");
  const opaque = plan.format === "jpeg";
  if (plan.fit === "cover") {
    const size = plan.source;
    const scale = Math.max(plan.width / size.width, plan.height / size.height);
    const scaled = { width: Math.max(plan.width, Math.round(size.width * scale)), height: Math.max(plan.height, Math.round(size.height * scale)) };
    const left = clamp(Math.round(plan.focal.x * scaled.width - plan.width / 2), 0, scaled.width - plan.width);
    const top = clamp(Math.round(plan.focal.y * scaled.height - plan.height / 2), 0, scaled.height - plan.height);
    image = image.resize(scaled.width, scaled.height, { fit: "fill" }).extract({ left, top, width: plan.width, height: plan.height });
  } else {
    const background = opaque ? { r: 255, g: 255, b: 255, alpha: 1 } : { r: 0, g: 0, b: 0, alpha: 0 };
    image = image.resize(plan.width, plan.height, { fit: plan.fit === "contain" ? "contain" : "fill", background });
  }
  if (opaque) image = image.flatten({ background: "#ffffff" });
  const info = await encode(image, plan).toFile(target);
  return { width: info.width, height: info.height, size: info.size };
}

function encode(image: sharp.Sharp, plan: PicturePlan): sharp.Sharp {
  const quality = plan.quality ?? undefined;
  switch (plan.format) {
    case "webp":
      return image.webp({ quality, alphaQuality: 90 });
    case "avif":
      return image.avif({ quality, effort: 3 });
    case "jpeg":
      return image.jpeg({ quality, progressive: true, mozjpeg: true });
    case "png":
      return image.png({ compressionLevel: 6, adaptiveFiltering: true });
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
