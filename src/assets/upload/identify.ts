import { type MediaFormat } from "../asset-types";
import { DEMUXERS, type ProbedFormat } from "../media/ffmpeg";
import { probeMedia } from "../media/ffprobe";
import { looksLikeSvg } from "../media/svg";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * Names the format of a staged file from its bytes alone (never the client's Content-Type or
 * extension). Returns file-type's extension for formats the service does not accept ("pdf",
 * "woff2", ...) so the caller can say what was found, or undefined when nothing matches.
 */
export async function identifyContent(
  file: string,
  head: Buffer,
  claimed: MediaFormat,
  ffprobe: { path: string; timeoutMs: number },
): Promise<string | undefined> {
  const { fileTypeFromFile } = await import("file-type");
  const detected = await fileTypeFromFile(file);
  if (detected && detected.ext !== "xml") return detected.ext;
  if (looksLikeSvg(head)) return "svg";
  if (detected) return detected.ext;
  // file-type checks PNG chunk structure and gives up on a damaged file; the signature still says
  // what the file claims to be, and decoding then reports the damage as such.
  if (head.subarray(0, 8).equals(PNG_SIGNATURE)) return "png";
  if (head.subarray(0, 3).equals(JPEG_SIGNATURE)) return "jpg";
  // MPEG audio may start with padding before its first frame sync, where file-type does not
  // look; ffprobe with the demuxer forced to the claim settles it.
  if (claimed in DEMUXERS) return (await demuxerAccepts(file, claimed as ProbedFormat, ffprobe)) ? claimed : undefined;
  return undefined;
}

async function demuxerAccepts(file: string, format: ProbedFormat, ffprobe: { path: string; timeoutMs: number }): Promise<boolean> {
  try {
    const probe = await probeMedia(ffprobe.path, file, format, ffprobe.timeoutMs);
    return probe.streams.some((s) => s.codecType === "audio" || s.codecType === "video");
  } catch {
    return false;
  }
}
