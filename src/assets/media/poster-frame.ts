import fs from "node:fs/promises";
import { frameArgs, type MediaInput } from "./ffmpeg";
import { runTool } from "./run-tool";

/**
 * A video's poster frame as PNG at `target`, rotation and sample aspect applied: the frame at 25%
 * of the duration, or the first frame when a very short video has none there. The video's
 * thumbnails and its renders show the same frame.
 */
export async function extractPosterFrame(input: MediaInput, durationSeconds: number, target: string, tools: { ffmpeg: string; timeoutMs: number }): Promise<void> {
  for (const seconds of [durationSeconds * 0.25, 0]) {
    await fs.rm(target, { force: true });
    await runTool(tools.ffmpeg, frameArgs(input, seconds, target), { timeoutMs: tools.timeoutMs });
    if (((await fs.stat(target).catch(() => undefined))?.size ?? 0) > 0) return;
  }
  throw new Error("the video has no decodable frame");
}
