import fs from "node:fs/promises";
import { progressSeconds, videoClipArgs, withProgress, type ProbedFormat } from "../media/ffmpeg";
import { extractPosterFrame } from "../media/poster-frame";
import { streamTool } from "../media/run-tool";
import type { DeriveContext, Derived } from "./derivative";
import { renderStills } from "./stills";

export const VIDEO_CLIP_SECONDS = 15;
const CLIP_SHORT_SIDE = 360;
/**
 * The clip is re-timed to a constant rate: a variable-frame-rate source (a screen recording whose
 * last frame lasts a second and a half) otherwise loses its last frame's duration in the MP4.
 */
const CLIP_FPS = 30;
/** The share of a video's processing the poster and stills take (the clip the rest). */
const POSTER_SHARE = 0.1;

/**
 * Video derivatives: a poster frame at 25% of the duration (as thumbnail and preview), and a
 * low-resolution preview clip (H.264/AAC MP4, the short side at most 360 px, at most 15 s).
 */
export async function videoDerivatives(
  file: string,
  format: ProbedFormat,
  durationSeconds: number,
  hasAudio: boolean,
  ctx: DeriveContext,
): Promise<Derived> {
  const poster = ctx.stagingPath("poster", "png");
  try {
    await extractPosterFrame({ file, format }, durationSeconds, poster, ctx);
    const stills = await renderStills(poster, ctx);
    ctx.progress?.(POSTER_SHARE, "clip");

    // The clip is the long part: its share of the progress follows ffmpeg's own progress output.
    const clipPath = ctx.stagingPath("clip", "mp4");
    const clipSeconds = Math.min(VIDEO_CLIP_SECONDS, durationSeconds) || VIDEO_CLIP_SECONDS;
    await streamTool(
      ctx.ffmpeg,
      withProgress(videoClipArgs({ file, format }, clipPath, { seconds: VIDEO_CLIP_SECONDS, shortSide: CLIP_SHORT_SIDE, fps: CLIP_FPS, hasAudio })),
      {
        timeoutMs: ctx.timeoutMs,
        onStdout: (chunk) => {
          const done = progressSeconds(chunk.toString("latin1"));
          if (done !== undefined) ctx.progress?.(POSTER_SHARE + (1 - POSTER_SHARE) * Math.min(1, done / clipSeconds), "clip");
        },
      },
    );
    return {
      derivatives: [...stills.derivatives, { kind: "clip", stagedPath: clipPath, extension: "mp4", mimeType: "video/mp4", width: null, height: null }],
      visual: stills.visual,
    };
  } finally {
    await fs.rm(poster, { force: true });
  }
}
