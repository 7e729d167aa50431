/**
 * Every ffmpeg and ffprobe command line the service runs. Each starts from `safeInput`: the
 * demuxer forced to the claimed format and only the `file` protocol allowed, so a crafted upload
 * cannot make either tool open playlists, concat lists, other files or the network. The commands
 * run through run-tool.ts (no shell, a wall-clock limit, capped output).
 */

/** ffmpeg demuxers the service lets ffprobe/ffmpeg use, by claimed format. */
export const DEMUXERS = {
  mp3: "mp3",
  wav: "wav",
  m4a: "mov",
  mp4: "mov",
  mov: "mov",
  webm: "matroska",
} as const;
export type ProbedFormat = keyof typeof DEMUXERS;

export interface MediaInput {
  file: string;
  format: ProbedFormat;
}

/** The no-egress input prelude; `seekSeconds` seeks on the input (fast, keyframe then decode). */
function safeInput(input: MediaInput, seekSeconds?: number): string[] {
  return [
    "-protocol_whitelist", "file",
    ...(seekSeconds === undefined ? [] : ["-ss", seekSeconds.toFixed(3)]),
    "-f", DEMUXERS[input.format], "-i", `file:${input.file}`,
  ];
}

function ffmpeg(input: MediaInput, output: string[], seekSeconds?: number): string[] {
  return ["-v", "error", "-nostdin", "-y", ...safeInput(input, seekSeconds), ...output];
}

/** ffprobe's JSON view of the container and its streams. */
export function probeArgs(input: MediaInput): string[] {
  return ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", ...safeInput(input)];
}

/** Reads every packet without decoding: a file cut short or with a damaged index fails. */
export function demuxCheckArgs(input: MediaInput): string[] {
  return ffmpeg(input, ["-map", "0", "-c", "copy", "-f", "null", "-"]);
}

/** One frame at `seconds` as PNG, rotation and sample aspect applied. */
export function frameArgs(input: MediaInput, seconds: number, target: string): string[] {
  return ffmpeg(input, ["-map", "0:v:0", "-frames:v", "1", "-vf", "scale=iw*sar:ih,setsar=1", "-f", "image2", "-c:v", "png", `file:${target}`], seconds);
}

/** The embedded cover art (the first picture stream, flagged attached_pic in an audio file) as PNG. */
export function coverArtArgs(input: MediaInput, target: string): string[] {
  return ffmpeg(input, ["-map", "0:v:0", "-frames:v", "1", "-an", "-map_metadata", "-1", "-f", "image2", "-c:v", "png", `file:${target}`]);
}

export interface VideoClipOptions {
  seconds: number;
  shortSide: number;
  fps: number;
  hasAudio: boolean;
}

/**
 * A low-resolution H.264/AAC MP4 from the start: sample aspect applied first, the short side
 * brought down to `shortSide` (never up), re-timed to a constant rate (a variable-frame-rate
 * source otherwise loses its last frame's duration), no metadata, faststart.
 */
export function videoClipArgs(input: MediaInput, target: string, o: VideoClipOptions): string[] {
  const even = (expr: string) => `trunc(${expr}/2)*2`;
  const scale =
    `fps=${o.fps},scale=iw*sar:ih,setsar=1,` +
    `scale=w='if(gte(iw,ih),-2,${even(`min(${o.shortSide},iw)`)})':h='if(gte(iw,ih),${even(`min(${o.shortSide},ih)`)},-2)'`;
  return ffmpeg(input, [
    "-t", String(o.seconds),
    "-map", "0:v:0", ...(o.hasAudio ? ["-map", "0:a:0"] : []),
    "-map_metadata", "-1", "-sn", "-dn",
    "-vf", scale,
    "-c:v", "libx264", "-preset", "veryfast", "-crf", "28", "-pix_fmt", "yuv420p", "-profile:v", "main",
    ...(o.hasAudio ? ["-c:a", "aac", "-b:a", "96k", "-ac", "2"] : []),
    "-movflags", "+faststart",
    "-f", "mp4", `file:${target}`,
  ]);
}

/** A stereo 128 kb/s MP3 of the first `seconds`, no metadata. */
export function audioClipArgs(input: MediaInput, target: string, seconds: number): string[] {
  return ffmpeg(input, [
    "-t", String(seconds),
    "-map", "0:a:0", "-vn", "-map_metadata", "-1",
    "-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k",
    "-f", "mp3", `file:${target}`,
  ]);
}

/** The first audio track as mono signed 16-bit PCM on stdout, bounded to `maxSeconds`. */
export function pcmArgs(input: MediaInput, sampleRate: number, maxSeconds: number): string[] {
  return ffmpeg(input, [
    "-t", String(maxSeconds),
    "-map", "0:a:0", "-ac", "1", "-ar", String(sampleRate),
    "-f", "s16le", "-c:a", "pcm_s16le", "pipe:1",
  ]);
}

/** The same run, writing `key=value` progress blocks to stdout (about twice a second). */
export function withProgress(args: string[]): string[] {
  return ["-progress", "pipe:1", "-nostats", ...args];
}

/**
 * Seconds of output written so far, from the newest `out_time_us`/`out_time_ms` line of a
 * progress chunk (both are microseconds in ffmpeg's output); undefined when the chunk has none.
 */
export function progressSeconds(chunk: string): number | undefined {
  let seconds: number | undefined;
  for (const match of chunk.matchAll(/^out_time_(?:us|ms)=(\d+)$/gm)) seconds = Number(match[1]) / 1_000_000;
  return seconds;
}
