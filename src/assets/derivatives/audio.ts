import fs from "node:fs/promises";
import { audioClipArgs, coverArtArgs, pcmArgs, type MediaInput } from "../media/ffmpeg";
import { runTool, streamTool } from "../media/run-tool";
import { rasteriseSvg } from "../media/still-base";
import { PREVIEW_MAX, THUMBNAIL_SIZE, type DeriveContext, type Derived, type StagedDerivative } from "./derivative";
import { renderStills, type Stills } from "./stills";
import { PeakAccumulator, waveformBars, waveformSvg, type AudiowaveformData } from "./waveform";

/** The waveform's decode rate (a mono mix), and its finest and coarsest resolution. */
export const WAVEFORM_RATE = 8000;
/** 10 ms per pixel at the finest, as players zoom in... */
const MIN_SAMPLES_PER_PIXEL = 80;
/** ...and never more than this many pixels, so a long recording's JSON stays small (about 50 kB). */
export const MAX_WAVEFORM_PIXELS = 6000;
/** Bars drawn in the preview and thumbnail when they show the waveform. */
const DRAWN_BARS = 300;
export const AUDIO_CLIP_SECONDS = 10;

export interface AudioSource extends MediaInput {
  durationSeconds: number;
  /** The file embeds a picture (metadata.has_cover_art): the thumbnail and preview are made from it. */
  hasCoverArt: boolean;
}

/**
 * Audio derivatives: the waveform in BBC audiowaveform's JSON format, a 10-second MP3 clip from the
 * start, and a thumbnail and preview: of the embedded cover art when there is one (a music
 * library whose covers show as squiggles looks broken), else the waveform drawn as a PNG preview
 * and a WebP thumbnail.
 */
export async function audioDerivatives(source: AudioSource, ctx: DeriveContext): Promise<Derived> {
  const waveform = await decodeWaveform(source, ctx);
  ctx.progress?.(0.6, "waveform");
  const waveformPath = ctx.stagingPath("waveform", "json");
  await fs.writeFile(waveformPath, JSON.stringify(waveform));

  const pictures: Derived = (source.hasCoverArt && (await coverArtStills(source, ctx))) || { derivatives: await waveformStills(waveform, ctx) };

  const clipPath = ctx.stagingPath("clip", "mp3");
  ctx.progress?.(0.7, "clip");
  await runTool(ctx.ffmpeg, audioClipArgs(source, clipPath, AUDIO_CLIP_SECONDS), { timeoutMs: ctx.timeoutMs });

  return {
    derivatives: [
      { kind: "waveform", stagedPath: waveformPath, extension: "json", mimeType: "application/json", width: null, height: null },
      ...pictures.derivatives,
      { kind: "clip", stagedPath: clipPath, extension: "mp3", mimeType: "audio/mpeg", width: null, height: null },
    ],
    // The cover art's colours; a drawn waveform has none worth telling.
    visual: pictures.visual,
  };
}

/**
 * The cover art's thumbnail and preview, made like any image's. Art that cannot be extracted or
 * decoded (damaged, or over the pixel limit) leaves the waveform drawings instead: the audio
 * itself is fine, so the asset is not failed over its picture.
 */
async function coverArtStills(source: AudioSource, ctx: DeriveContext): Promise<Stills | undefined> {
  const artPath = ctx.stagingPath("cover-art", "png");
  try {
    await runTool(ctx.ffmpeg, coverArtArgs(source, artPath), { timeoutMs: ctx.timeoutMs });
    return await renderStills(artPath, ctx);
  } catch {
    return undefined;
  } finally {
    await fs.rm(artPath, { force: true });
  }
}

async function waveformStills(waveform: AudiowaveformData, ctx: DeriveContext): Promise<StagedDerivative[]> {
  const bars = waveformBars(waveform, DRAWN_BARS);
  const previewPath = ctx.stagingPath("preview", "png");
  const previewSize = { width: PREVIEW_MAX, height: 160 };
  await rasteriseSvg(waveformSvg(bars, previewSize.width, previewSize.height), previewPath, { png: true });
  const thumbnailPath = ctx.stagingPath("thumbnail", "webp");
  await rasteriseSvg(waveformSvg(bars, THUMBNAIL_SIZE, THUMBNAIL_SIZE), thumbnailPath, { webp: { background: "#f8fafc", quality: 80 } });
  return [
    { kind: "preview", stagedPath: previewPath, extension: "png", mimeType: "image/png", ...previewSize },
    { kind: "thumbnail", stagedPath: thumbnailPath, extension: "webp", mimeType: "image/webp", width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE },
  ];
}

/** Pixels as fine as 10 ms, coarser for long files so there are at most MAX_WAVEFORM_PIXELS. */
export function samplesPerPixel(durationSeconds: number): number {
  return Math.max(MIN_SAMPLES_PER_PIXEL, Math.ceil((durationSeconds * WAVEFORM_RATE) / MAX_WAVEFORM_PIXELS));
}

async function decodeWaveform(source: AudioSource, ctx: DeriveContext): Promise<AudiowaveformData> {
  const peaks = new PeakAccumulator(WAVEFORM_RATE, samplesPerPixel(source.durationSeconds));
  // A bound on the decode, whatever the header claimed.
  await streamTool(ctx.ffmpeg, pcmArgs(source, WAVEFORM_RATE, Math.ceil(source.durationSeconds) + 5), {
    timeoutMs: ctx.timeoutMs,
    onStdout: (chunk) => peaks.push(chunk),
  });
  return peaks.result();
}
