import fs from "node:fs/promises";
import { frameArgs, progressSeconds, videoClipArgs, withProgress, type ProbedFormat } from "../media/ffmpeg";
import { runTool, streamTool } from "../media/run-tool";
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
    // A very short video may have no frame at 25%: fall back to its first frame.
    if (!(await extractFrame(file, format, durationSeconds * 0.25, poster, ctx))) {
      if (!(await extractFrame(file, format, 0, poster, ctx))) throw new Error("the video has no decodable frame");
    }
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

/** One frame at `seconds` as PNG, rotation and sample aspect applied; false when there is none. */
async function extractFrame(file: string, format: ProbedFormat, seconds: number, target: string, ctx: DeriveContext): Promise<boolean> {
  await fs.rm(target, { force: true });
  await runTool(ctx.ffmpeg, frameArgs({ file, format }, seconds, target), { timeoutMs: ctx.timeoutMs });
  const stats = await fs.stat(target).catch(() => undefined);
  return stats !== undefined && stats.size > 0;
}
