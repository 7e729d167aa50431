import fs from "node:fs/promises";
import { AppError } from "../../errors";
import { formatFor, type AssetType } from "../asset-types";
import type { AssetMetadata } from "../entities/asset.entity";
import type { ProbedFormat } from "../media/ffmpeg";
import { fontSpecimenSvg } from "../media/font";
import { extractPosterFrame } from "../media/poster-frame";
import type { PictureInput } from "../media/render";
import type { StorageDriver } from "../storage/storage-driver";

/** The types a render is made of; audio has no picture of its own. */
export const RENDERABLE_TYPES: ReadonlySet<AssetType> = new Set(["image", "logo", "video", "font"]);

/** One version's stored file, as the render needs it. */
export interface RenderableVersion {
  assetType: AssetType;
  storagePath: string;
  fileExtension: string;
  metadata: AssetMetadata;
}

export interface SourceTools {
  ffmpeg: string;
  maxImagePixels: number;
  timeoutMs: number;
}

/**
 * Runs `use` with the picture a version renders from, cleaning up after:
 * - a raster image or logo: its own file;
 * - an SVG logo: its text, rendered as vector at the size asked;
 * - a font: the specimen the thumbnails show, drawn again as vector;
 * - a video: its poster frame (at 25% of the duration, as the thumbnails), at full resolution.
 */
export async function withRenderSource<T>(storage: StorageDriver, version: RenderableVersion, tools: SourceTools, use: (source: PictureInput) => Promise<T>): Promise<T> {
  if (!RENDERABLE_TYPES.has(version.assetType)) {
    throw new AppError("INVALID_FILE_TYPE", "Renders are made of images, logos, video posters and font specimens; audio has none");
  }
  const limits = { maxPixels: tools.maxImagePixels, timeoutMs: tools.timeoutMs };
  const format = formatFor(version.assetType, version.fileExtension);
  return storage.withLocalFile(version.storagePath, async (file) => {
    switch (version.assetType) {
      case "font":
        return use({ input: Buffer.from(await fontSpecimenSvg(file, tools.timeoutMs)), vector: true, ...limits });
      case "video":
        return withPosterFrame(file, format as ProbedFormat, Number(version.metadata.duration_seconds ?? 0), storage.stagingPath(), tools, (poster) =>
          use({ input: poster, vector: false, ...limits }),
        );
      default:
        return format === "svg" ? use({ input: await fs.readFile(file), vector: true, ...limits }) : use({ input: file, vector: false, ...limits });
    }
  });
}

async function withPosterFrame<T>(file: string, format: ProbedFormat, duration: number, target: string, tools: SourceTools, use: (poster: string) => Promise<T>): Promise<T> {
  const poster = `${target}.png`;
  try {
    await extractPosterFrame({ file, format }, duration, poster, tools);
    return await use(poster);
  } finally {
    await fs.rm(poster, { force: true });
  }
}
