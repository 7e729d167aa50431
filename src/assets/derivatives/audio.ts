import fs from "node:fs/promises";
import sharp from "sharp";
import { DEMUXERS, type ProbedFormat } from "../media/ffprobe";
import { runTool, streamTool } from "../media/run-tool";
import { PREVIEW_MAX, THUMBNAIL_SIZE, type DeriveContext, type StagedDerivative } from "./derivative";
import { PeakAccumulator, waveformSvg } from "./waveform";

export const WAVEFORM_BUCKETS = 300;
const WAVEFORM_RATE = 8000;
export const AUDIO_CLIP_SECONDS = 10;

/**
 * Audio derivatives: the waveform as JSON peaks (min/max pairs), drawn as a PNG preview and a
 * WebP thumbnail, and a 10-second MP3 clip from the start.
 */
export async function audioDerivatives(
  file: string,
  format: ProbedFormat,
  durationSeconds: number,
  ctx: DeriveContext,
): Promise<StagedDerivative[]> {
  const peaks = await decodePeaks(file, format, durationSeconds, ctx);
  const waveformPath = ctx.stagingPath("waveform", "json");
  await fs.writeFile(
    waveformPath,
    JSON.stringify({ version: 1, channels: 1, sample_rate: WAVEFORM_RATE, buckets: WAVEFORM_BUCKETS, peaks: peaks.peaks(), samples: peaks.samples }),
  );

  const previewPath = ctx.stagingPath("preview", "png");
  const previewSize = { width: PREVIEW_MAX, height: 160 };
  await sharp(Buffer.from(waveformSvg(peaks.peaks(), previewSize.width, previewSize.height))).png().toFile(previewPath);
  const thumbnailPath = ctx.stagingPath("thumbnail", "webp");
  await sharp(Buffer.from(waveformSvg(peaks.peaks(), THUMBNAIL_SIZE, THUMBNAIL_SIZE)))
    .flatten({ background: "#f8fafc" })
    .webp({ quality: 80 })
    .toFile(thumbnailPath);

  const clipPath = ctx.stagingPath("clip", "mp3");
  await runTool(
    ctx.ffmpeg,
    [
      "-v", "error", "-nostdin", "-y",
      "-protocol_whitelist", "file",
      "-f", DEMUXERS[format], "-i", `file:${file}`,
      "-t", String(AUDIO_CLIP_SECONDS),
      "-map", "0:a:0", "-vn", "-map_metadata", "-1",
      "-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k",
      "-f", "mp3", `file:${clipPath}`,
    ],
    { timeoutMs: ctx.timeoutMs },
  );

  return [
    { kind: "waveform", stagedPath: waveformPath, extension: "json", mimeType: "application/json", width: null, height: null },
    { kind: "preview", stagedPath: previewPath, extension: "png", mimeType: "image/png", ...previewSize },
    { kind: "thumbnail", stagedPath: thumbnailPath, extension: "webp", mimeType: "image/webp", width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE },
    { kind: "clip", stagedPath: clipPath, extension: "mp3", mimeType: "audio/mpeg", width: null, height: null },
  ];
}

async function decodePeaks(file: string, format: ProbedFormat, durationSeconds: number, ctx: DeriveContext): Promise<PeakAccumulator> {
  const peaks = new PeakAccumulator(WAVEFORM_BUCKETS, Math.ceil(durationSeconds * WAVEFORM_RATE));
  await streamTool(
    ctx.ffmpeg,
    [
      "-v", "error", "-nostdin",
      "-protocol_whitelist", "file",
      "-f", DEMUXERS[format], "-i", `file:${file}`,
      // A bound on the decode, whatever the header claimed.
      "-t", String(Math.ceil(durationSeconds) + 5),
      "-map", "0:a:0", "-ac", "1", "-ar", String(WAVEFORM_RATE),
      "-f", "s16le", "-c:a", "pcm_s16le", "pipe:1",
    ],
    { timeoutMs: ctx.timeoutMs, onStdout: (chunk) => peaks.push(chunk) },
  );
  return peaks;
}
