import { AppError } from "../../errors";
import { demuxCheckArgs, type ProbedFormat } from "./ffmpeg";
import { frameRate, probeMedia, type ProbeResult, type ProbeStream } from "./ffprobe";
import { runTool, ToolError, firstLine } from "./run-tool";

export interface AudioMetadata {
  duration_seconds: number;
  sample_rate: number;
  channels: number;
  bitrate: number | null;
  codec: string;
  /** Embedded cover art (ID3 APIC, MP4 covr, a FLAC picture): ffprobe's attached_pic stream. */
  has_cover_art: boolean;
}

export interface VideoMetadata {
  duration_seconds: number;
  width: number;
  height: number;
  display_width: number;
  display_height: number;
  rotation: number;
  fps: number | null;
  codec: string;
  has_audio: boolean;
  audio_codec: string | null;
}

interface Tools {
  ffmpeg: string;
  ffprobe: string;
  timeoutMs: number;
}

export async function inspectAudio(file: string, format: ProbedFormat, tools: Tools): Promise<AudioMetadata> {
  const probe = await probeOrReject(file, format, tools);
  const picture = probe.streams.find(isPictureTrack);
  if (picture) {
    throw new AppError("MIME_MISMATCH", "The file holds a video track; upload it as a video", { detected: "video" });
  }
  const audio = probe.streams.find((s) => s.codecType === "audio");
  if (!audio || !audio.sampleRate || !audio.channels) {
    throw new AppError("INCOMPLETE_UPLOAD", "The file holds no decodable audio stream", { reason: "corrupt" });
  }
  const duration = probe.durationSeconds;
  if (!duration) throw new AppError("INCOMPLETE_UPLOAD", "The audio has no duration", { reason: "corrupt" });
  await demuxCheck(file, format, tools);
  return {
    duration_seconds: duration,
    sample_rate: audio.sampleRate,
    channels: audio.channels,
    bitrate: audio.bitRate ?? probe.bitRate ?? null,
    codec: audio.codecName ?? "unknown",
    has_cover_art: probe.streams.some((s) => s.codecType === "video" && s.isAttachedPicture),
  };
}

export async function inspectVideo(file: string, format: ProbedFormat, tools: Tools): Promise<VideoMetadata> {
  const probe = await probeOrReject(file, format, tools);
  const video = probe.streams.find(isPictureTrack);
  if (!video) {
    throw new AppError("INVALID_FILE_TYPE", "The file holds no video stream; audio-only files are accepted as audio (mp3, wav, m4a)", {
      reason: "no_video_stream",
    });
  }
  if (!video.width || !video.height) {
    throw new AppError("INCOMPLETE_UPLOAD", "The video stream has no dimensions", { reason: "corrupt" });
  }
  const duration = probe.durationSeconds;
  if (!duration) throw new AppError("INCOMPLETE_UPLOAD", "The video has no duration", { reason: "corrupt" });
  await demuxCheck(file, format, tools);

  const rotation = video.rotation ?? 0;
  const [sarNum, sarDen] = (video.sampleAspectRatio ?? "1:1").split(":").map(Number);
  const sar = sarNum > 0 && sarDen > 0 ? sarNum / sarDen : 1;
  const shownWidth = Math.round(video.width * sar);
  const quarterTurn = Math.abs(rotation) % 180 === 90;
  const audio = probe.streams.find((s) => s.codecType === "audio");
  return {
    duration_seconds: duration,
    width: video.width,
    height: video.height,
    display_width: quarterTurn ? video.height : shownWidth,
    display_height: quarterTurn ? shownWidth : video.height,
    rotation,
    fps: frameRate(video.avgFrameRate) ?? frameRate(video.rFrameRate) ?? null,
    codec: video.codecName ?? "unknown",
    has_audio: audio !== undefined,
    audio_codec: audio?.codecName ?? null,
  };
}

/** A real picture track: cover art in MP3/M4A shows up as a video stream flagged attached_pic. */
function isPictureTrack(stream: ProbeStream): boolean {
  return stream.codecType === "video" && !stream.isAttachedPicture;
}

async function probeOrReject(file: string, format: ProbedFormat, tools: Tools): Promise<ProbeResult> {
  try {
    return await probeMedia(tools.ffprobe, file, format, tools.timeoutMs);
  } catch (error) {
    throw unreadable(error);
  }
}

/**
 * Reads every packet without decoding (fast, I/O bound): a file cut short or with a damaged index
 * fails here even when its header looked fine.
 */
async function demuxCheck(file: string, format: ProbedFormat, tools: Tools): Promise<void> {
  try {
    const { stderr } = await runTool(tools.ffmpeg, demuxCheckArgs({ file, format }), { timeoutMs: tools.timeoutMs });
    if (/partial file|truncat|invalid data|error reading/i.test(stderr)) {
      throw new AppError("INCOMPLETE_UPLOAD", `The file is truncated or corrupt (${firstLine(stderr)})`, { reason: "corrupt" });
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unreadable(error);
  }
}

function unreadable(error: unknown): AppError {
  if (error instanceof ToolError && error.kind === "timeout") {
    return new AppError("INCOMPLETE_UPLOAD", "The file could not be read in time", { reason: "timeout" });
  }
  const detail = error instanceof ToolError ? firstLine(error.stderr) : String(error);
  return new AppError("INCOMPLETE_UPLOAD", `The file is truncated or corrupt (${detail})`, { reason: "corrupt" });
}
