import type { AssetMetadata } from "../entities/asset.entity";
import { inspectAudio, inspectVideo } from "../media/audio-video";
import { inspectFont } from "../media/font";
import { inspectImage } from "../media/image";
import { inspectSvg } from "../media/svg";
import type { UploadPlan } from "./plan";

export interface InspectOptions {
  ffmpeg: string;
  ffprobe: string;
  timeoutMs: number;
  maxImagePixels: number;
}

/**
 * Proves the staged file is whole (a raster image by its structure, its pixels decoded by the
 * derivative job; audio, video, fonts and SVG by their decoders) and returns its type-specific metadata, with the spec's field
 * names (image/logo: width, height, format, color_space, has_transparency; audio: duration_seconds,
 * sample_rate, channels, bitrate; video: duration_seconds, width, height, fps, codec, has_audio;
 * font: family, subfamily, format, glyph_count).
 */
export async function extractMetadata(
  file: string,
  plan: Pick<UploadPlan, "format">,
  options: InspectOptions,
): Promise<AssetMetadata> {
  const format = plan.format;
  switch (format) {
    case "jpg":
    case "png":
    case "webp":
    case "gif":
      return { ...(await inspectImage(file, format, { maxPixels: options.maxImagePixels })) };
    case "svg":
      return { ...(await inspectSvg(file, { timeoutMs: options.timeoutMs })) };
    case "mp3":
    case "wav":
    case "m4a":
      return { ...(await inspectAudio(file, format, options)) };
    case "mp4":
    case "mov":
    case "webm":
      return { ...(await inspectVideo(file, format, options)) };
    case "ttf":
    case "otf":
    case "woff":
      return { ...(await inspectFont(file, format, options.timeoutMs)) };
  }
}
