import sharp from "sharp";
import { AppError } from "../../errors";
import { structureFault, type RasterFormat } from "./image-structure";

export interface ImageMetadata {
  /** Stored (coded) size, before EXIF orientation. */
  width: number;
  height: number;
  /** Size as displayed, after EXIF orientation. */
  display_width: number;
  display_height: number;
  orientation: number;
  format: string;
  color_space: "RGB" | "CMYK" | "gray" | string;
  has_transparency: boolean;
  frames: number;
  bit_depth: number;
  progressive: boolean;
}

const COLOR_SPACES: Record<string, string> = {
  srgb: "RGB", rgb: "RGB", rgb16: "RGB", scrgb: "RGB",
  cmyk: "CMYK",
  "b-w": "gray", grey16: "gray",
};

/**
 * The upload's check of a raster image: reads the header, refuses images over `maxPixels` before
 * any pixel is decoded, and walks the file's structure to prove it is complete
 * (image-structure.ts). No pixel is decoded here: the derivative job decodes the image once, for
 * its preview and thumbnail, and that decode is strict (every decoder warning fails it, and
 * `decodeEveryFrame` for animations), so an image whose pixel data is damaged turns `failed` there.
 */
export async function inspectImage(file: string, format: RasterFormat, options: { maxPixels: number }): Promise<ImageMetadata> {
  let header: sharp.Metadata;
  try {
    header = await sharp(file, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw undecodable(error);
  }
  const { width, height } = header;
  if (!width || !height) throw new AppError("INCOMPLETE_UPLOAD", "The image has no dimensions");
  const frames = header.pages ?? 1;
  if (width * height > options.maxPixels) {
    throw new AppError("SECURITY_VIOLATION", `The image is ${width}x${height}, over the ${options.maxPixels}-pixel limit`, {
      reason: "dimensions_too_large",
      width,
      height,
      max_pixels: options.maxPixels,
    });
  }
  const fault = await structureFault(file, format);
  if (fault) throw corrupt(fault);

  const orientation = header.orientation ?? 1;
  const metadata: ImageMetadata = {
    width,
    height,
    display_width: header.autoOrient?.width ?? width,
    display_height: header.autoOrient?.height ?? height,
    orientation,
    format: header.format ?? "unknown",
    color_space: COLOR_SPACES[header.space ?? ""] ?? header.space ?? "unknown",
    has_transparency: header.hasAlpha === true,
    frames,
    bit_depth: header.depth === "ushort" ? 16 : 8,
    progressive: header.isProgressive === true,
  };
  return metadata;
}

/**
 * The strict decode of every frame of an animated image (shrunk, streaming), which the derivative
 * job runs beside its stills: a damaged later frame fails it as a damaged first frame fails the
 * stills' own strict decode.
 */
export async function decodeEveryFrame(file: string, frames: number, options: { maxPixels: number; timeoutMs: number }): Promise<void> {
  try {
    await sharp(file, { pages: -1, sequentialRead: true, limitInputPixels: options.maxPixels * frames, failOn: "warning" })
      .timeout({ seconds: Math.ceil(options.timeoutMs / 1000) })
      .resize(64, 64, { fit: "inside" })
      .raw()
      .toBuffer();
  } catch (error) {
    throw undecodable(error);
  }
}

/** A decoder's refusal, as the owner is told it (the upload's 422, or a failed asset's reason). */
export function undecodable(error: unknown): AppError {
  return corrupt(error instanceof Error ? error.message.split("\n")[0] : String(error));
}

function corrupt(reason: string): AppError {
  return new AppError("INCOMPLETE_UPLOAD", `The image is truncated or corrupt (${reason})`, { reason: "corrupt" });
}
