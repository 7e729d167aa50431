import sharp from "sharp";
import { AppError } from "../../errors";
import { stillBase, writePreview } from "./still-base";

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

/** The preview an image's integrity check wrote while it decoded the file. */
export interface MadePreview {
  path: string;
  width: number;
  height: number;
  size: number;
}

/**
 * Reads the header, refuses images over `maxPixels` before any pixel is decoded, then decodes every
 * frame (shrunk, streaming) to prove the file is complete. A single-frame image is decoded once,
 * at preview size, and that decode also writes the preview to `previewPath` (when given): the
 * derivative job then makes the thumbnail from it instead of decoding the original again.
 */
export async function inspectImage(
  file: string,
  options: { maxPixels: number; timeoutMs: number; previewPath?: string },
): Promise<{ metadata: ImageMetadata; preview?: MadePreview }> {
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

  let preview: MadePreview | undefined;
  try {
    if (frames === 1 && options.previewPath) {
      const base = await stillBase(file, { maxPixels: options.maxPixels, timeoutMs: options.timeoutMs, failOn: "warning" });
      preview = { path: options.previewPath, ...(await writePreview(base, options.previewPath)) };
    } else {
      await sharp(file, { pages: -1, sequentialRead: true, limitInputPixels: options.maxPixels * frames, failOn: "warning" })
        .timeout({ seconds: Math.ceil(options.timeoutMs / 1000) })
        .resize(64, 64, { fit: "inside" })
        .raw()
        .toBuffer();
    }
  } catch (error) {
    throw undecodable(error);
  }

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
  return { metadata, preview };
}

function undecodable(error: unknown): AppError {
  const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return new AppError("INCOMPLETE_UPLOAD", `The image is truncated or corrupt (${reason})`, { reason: "corrupt" });
}
