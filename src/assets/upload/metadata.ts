import type { AssetMetadata } from "../entities/asset.entity";
import { inspectAudio, inspectVideo } from "../media/audio-video";
import { inspectFont } from "../media/font";
import { inspectImage, type MadePreview } from "../media/image";
import { inspectSvg } from "../media/svg";
import type { UploadPlan } from "./upload-pipeline";

export interface InspectOptions {
  ffmpeg: string;
  ffprobe: string;
  timeoutMs: number;
  maxImagePixels: number;
  /** Where an image's check may write the preview it decodes anyway (see inspectImage). */
  previewPath?: string;
}

/**
 * Proves the staged file decodes and returns its type-specific metadata, with the spec's field
 * names (image/logo: width, height, format, color_space, has_transparency; audio: duration_seconds,
 * sample_rate, channels, bitrate; video: duration_seconds, width, height, fps, codec, has_audio;
 * font: family, subfamily, format, glyph_count).
 */
export async function extractMetadata(
  file: string,
  plan: Pick<UploadPlan, "format">,
  options: InspectOptions,
): Promise<{ metadata: AssetMetadata; preview?: MadePreview }> {
  const format = plan.format;
  switch (format) {
    case "jpg":
    case "png":
    case "webp":
    case "gif": {
      const { metadata, preview } = await inspectImage(file, { maxPixels: options.maxImagePixels, timeoutMs: options.timeoutMs, previewPath: options.previewPath });
      return { metadata: { ...metadata }, preview };
    }
    case "svg":
      return { metadata: { ...(await inspectSvg(file, { timeoutMs: options.timeoutMs })) } };
    case "mp3":
    case "wav":
    case "m4a":
      return { metadata: { ...(await inspectAudio(file, format, options)) } };
    case "mp4":
    case "mov":
    case "webm":
      return { metadata: { ...(await inspectVideo(file, format, options)) } };
    case "ttf":
    case "otf":
    case "woff":
      return { metadata: { ...(await inspectFont(file, format, options.timeoutMs)) } };
  }
}
