/**
 * The asset type table from the spec: extensions, size limits and canonical MIME types.
 * Pure data and lookups; nothing here touches a file.
 */
export const ASSET_TYPES = ["image", "audio", "video", "font", "logo"] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/** Content formats the service accepts, named by their canonical extension. */
export type MediaFormat =
  | "jpg" | "png" | "webp" | "gif"
  | "mp3" | "wav" | "m4a"
  | "mp4" | "mov" | "webm"
  | "ttf" | "otf" | "woff"
  | "svg";

const MB = 1024 * 1024;

interface AssetTypeRule {
  maxBytes: number;
  /** Extension as the client may send it -> the content format it must contain. */
  extensions: Record<string, MediaFormat>;
}

export const ASSET_TYPE_RULES: Record<AssetType, AssetTypeRule> = {
  image: {
    maxBytes: 10 * MB,
    extensions: { jpg: "jpg", jpeg: "jpg", png: "png", webp: "webp", gif: "gif" },
  },
  audio: { maxBytes: 50 * MB, extensions: { mp3: "mp3", wav: "wav", m4a: "m4a" } },
  video: { maxBytes: 200 * MB, extensions: { mp4: "mp4", mov: "mov", webm: "webm" } },
  font: { maxBytes: 5 * MB, extensions: { ttf: "ttf", otf: "otf", woff: "woff" } },
  logo: { maxBytes: 5 * MB, extensions: { png: "png", svg: "svg" } },
};

export const MAX_UPLOAD_BYTES = Math.max(...Object.values(ASSET_TYPE_RULES).map((r) => r.maxBytes));

export const MIME_TYPES: Record<MediaFormat, string> = {
  jpg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  mp3: "audio/mpeg",
  wav: "audio/wav",
  m4a: "audio/mp4",
  mp4: "video/mp4",
  mov: "video/quicktime",
  webm: "video/webm",
  ttf: "font/ttf",
  otf: "font/otf",
  woff: "font/woff",
  svg: "image/svg+xml",
};

/**
 * Formats whose detected content may stand behind a claimed one. An M4A is an MP4 container, and
 * sniffers name it by its brand, so an audio-only MP4 is accepted as M4A (ffprobe then confirms
 * that it holds no picture track).
 */
const COMPATIBLE_CONTENT: Partial<Record<MediaFormat, readonly string[]>> = {
  m4a: ["m4a", "mp4"],
};

export function isAssetType(value: string): value is AssetType {
  return (ASSET_TYPES as readonly string[]).includes(value);
}

/** Lower-cased extension of a file name, without the dot; "" when there is none. */
export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf(".");
  return dot <= 0 || dot === filename.length - 1 ? "" : filename.slice(dot + 1).toLowerCase();
}

/** The type an extension files under when the client does not name one (PNG -> image). */
export function assetTypeForExtension(extension: string): AssetType | undefined {
  return ASSET_TYPES.find((type) => extension in ASSET_TYPE_RULES[type].extensions);
}

export function formatFor(type: AssetType, extension: string): MediaFormat | undefined {
  return ASSET_TYPE_RULES[type].extensions[extension];
}

export function contentMatches(claimed: MediaFormat, detected: string): boolean {
  return (COMPATIBLE_CONTENT[claimed] ?? [claimed]).includes(detected);
}
