import fs from "node:fs/promises";
import { frameArgs, videoClipArgs, type ProbedFormat } from "../media/ffmpeg";
import { runTool } from "../media/run-tool";
import type { DeriveContext, StagedDerivative } from "./derivative";
import { renderStills } from "./stills";

export const VIDEO_CLIP_SECONDS = 15;
const CLIP_SHORT_SIDE = 360;
/**
 * The clip is re-timed to a constant rate: a variable-frame-rate source (a screen recording whose
 * last frame lasts a second and a half) otherwise loses its last frame's duration in the MP4.
 */
const CLIP_FPS = 30;

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
): Promise<StagedDerivative[]> {
  const poster = ctx.stagingPath("poster", "png");
  try {
    // A very short video may have no frame at 25%: fall back to its first frame.
    if (!(await extractFrame(file, format, durationSeconds * 0.25, poster, ctx))) {
      if (!(await extractFrame(file, format, 0, poster, ctx))) throw new Error("the video has no decodable frame");
    }
    const stills = await renderStills(poster, ctx);

    const clipPath = ctx.stagingPath("clip", "mp4");
    await runTool(
      ctx.ffmpeg,
      videoClipArgs({ file, format }, clipPath, { seconds: VIDEO_CLIP_SECONDS, shortSide: CLIP_SHORT_SIDE, fps: CLIP_FPS, hasAudio }),
      { timeoutMs: ctx.timeoutMs },
    );
    return [...stills, { kind: "clip", stagedPath: clipPath, extension: "mp4", mimeType: "video/mp4", width: null, height: null }];
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
