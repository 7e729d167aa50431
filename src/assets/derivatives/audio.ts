import fs from "node:fs/promises";
import { audioClipArgs, pcmArgs, type ProbedFormat } from "../media/ffmpeg";
import { runTool, streamTool } from "../media/run-tool";
import { rasteriseSvg } from "../media/still-base";
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
  ctx.progress?.(0.6, "waveform");
  const waveformPath = ctx.stagingPath("waveform", "json");
  await fs.writeFile(
    waveformPath,
    JSON.stringify({ version: 1, channels: 1, sample_rate: WAVEFORM_RATE, buckets: WAVEFORM_BUCKETS, peaks: peaks.peaks(), samples: peaks.samples }),
  );

  const previewPath = ctx.stagingPath("preview", "png");
  const previewSize = { width: PREVIEW_MAX, height: 160 };
  await rasteriseSvg(waveformSvg(peaks.peaks(), previewSize.width, previewSize.height), previewPath, { png: true });
  const thumbnailPath = ctx.stagingPath("thumbnail", "webp");
  await rasteriseSvg(waveformSvg(peaks.peaks(), THUMBNAIL_SIZE, THUMBNAIL_SIZE), thumbnailPath, { webp: { background: "#f8fafc", quality: 80 } });

  const clipPath = ctx.stagingPath("clip", "mp3");
  ctx.progress?.(0.7, "clip");
  await runTool(ctx.ffmpeg, audioClipArgs({ file, format }, clipPath, AUDIO_CLIP_SECONDS), { timeoutMs: ctx.timeoutMs });

  return [
    { kind: "waveform", stagedPath: waveformPath, extension: "json", mimeType: "application/json", width: null, height: null },
    { kind: "preview", stagedPath: previewPath, extension: "png", mimeType: "image/png", ...previewSize },
    { kind: "thumbnail", stagedPath: thumbnailPath, extension: "webp", mimeType: "image/webp", width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE },
    { kind: "clip", stagedPath: clipPath, extension: "mp3", mimeType: "audio/mpeg", width: null, height: null },
  ];
}

async function decodePeaks(file: string, format: ProbedFormat, durationSeconds: number, ctx: DeriveContext): Promise<PeakAccumulator> {
  const peaks = new PeakAccumulator(WAVEFORM_BUCKETS, Math.ceil(durationSeconds * WAVEFORM_RATE));
  // A bound on the decode, whatever the header claimed.
  await streamTool(
    ctx.ffmpeg,
    pcmArgs({ file, format }, WAVEFORM_RATE, Math.ceil(durationSeconds) + 5),
    { timeoutMs: ctx.timeoutMs, onStdout: (chunk) => peaks.push(chunk) },
  );
  return peaks;
}
