import { probeArgs, type ProbedFormat } from "./ffmpeg";
import { runTool } from "./run-tool";


export interface ProbeStream {
  index: number;
  codecType: "video" | "audio" | "subtitle" | "data" | "attachment" | string;
  codecName: string | undefined;
  width: number | undefined;
  height: number | undefined;
  avgFrameRate: string | undefined;
  rFrameRate: string | undefined;
  sampleAspectRatio: string | undefined;
  sampleRate: number | undefined;
  channels: number | undefined;
  bitRate: number | undefined;
  isAttachedPicture: boolean;
  rotation: number | undefined;
}

export interface ProbeResult {
  formatName: string;
  durationSeconds: number | undefined;
  bitRate: number | undefined;
  streams: ProbeStream[];
}

/** ffprobe through the no-egress prelude of ffmpeg.ts. */
export async function probeMedia(
  ffprobe: string,
  file: string,
  format: ProbedFormat,
  timeoutMs: number,
): Promise<ProbeResult> {
  const { stdout } = await runTool(ffprobe, probeArgs({ file, format }), { timeoutMs });
  return parseProbe(JSON.parse(stdout));
}

interface RawStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_aspect_ratio?: string;
  sample_rate?: string;
  channels?: number;
  bit_rate?: string;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: Array<{ rotation?: number | string }>;
}

function parseProbe(raw: { format?: Record<string, string>; streams?: RawStream[] }): ProbeResult {
  const format = raw.format ?? {};
  return {
    formatName: format.format_name ?? "",
    durationSeconds: positiveNumber(format.duration),
    bitRate: positiveNumber(format.bit_rate),
    streams: (raw.streams ?? []).map((s) => ({
      index: s.index,
      codecType: s.codec_type ?? "unknown",
      codecName: s.codec_name,
      width: s.width,
      height: s.height,
      avgFrameRate: s.avg_frame_rate,
      rFrameRate: s.r_frame_rate,
      sampleAspectRatio: s.sample_aspect_ratio,
      sampleRate: positiveNumber(s.sample_rate),
      channels: s.channels,
      bitRate: positiveNumber(s.bit_rate),
      isAttachedPicture: s.disposition?.attached_pic === 1,
      rotation: rotationOf(s),
    })),
  };
}

function rotationOf(stream: RawStream): number | undefined {
  const fromMatrix = stream.side_data_list?.find((d) => d.rotation !== undefined)?.rotation;
  const value = positiveOrZero(fromMatrix ?? stream.tags?.rotate);
  return value === undefined || value === 0 ? undefined : value;
}

function positiveNumber(value: string | number | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}

function positiveOrZero(value: string | number | undefined): number | undefined {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) ? n : undefined;
}

/** "30000/1001" -> 29.97003; undefined for "0/0" or garbage. */
export function frameRate(rational: string | undefined): number | undefined {
  if (!rational) return undefined;
  const [num, den] = rational.split("/").map(Number);
  if (!Number.isFinite(num) || !Number.isFinite(den) || num <= 0 || den <= 0) return undefined;
  return Math.round((num / den) * 1e6) / 1e6;
}
