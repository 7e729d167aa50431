import { AppError, validationFailed } from "../../errors";

export const RENDER_FITS = ["cover", "contain", "inside"] as const;
export const RENDER_FORMATS = ["webp", "avif", "jpeg", "png"] as const;
export type RenderFit = (typeof RENDER_FITS)[number];
export type RenderFormat = (typeof RENDER_FORMATS)[number];

/** Each format's quality when none is asked for (png is lossless: it has none). */
const DEFAULT_QUALITY: Record<RenderFormat, number | null> = { webp: 80, avif: 55, jpeg: 82, png: null };
export const MAX_DPR = 4;

/**
 * Named presets: the sizes templates ask for most. A preset gives defaults; parameters given
 * beside it override them (`preset=card&format=avif`).
 */
export const RENDER_PRESETS: Record<string, Partial<RawRender>> = {
  avatar: { w: "128", h: "128", fit: "cover" },
  thumbnail: { w: "320", h: "320", fit: "cover" },
  card: { w: "640", h: "400", fit: "cover" },
  hero: { w: "1920", h: "1080", fit: "cover" },
  "og-image": { w: "1200", h: "630", fit: "cover", format: "jpeg" },
  full: { w: "2560", h: "2560", fit: "inside" },
};

export interface RenderLimits {
  /** The longest side an output may have, in pixels (after `dpr`). */
  maxSide: number;
  /** The most pixels an output may have. */
  maxPixels: number;
}

/** What a request asks for, as it arrives (query strings). */
export interface RawRender {
  w?: string;
  h?: string;
  fit?: string;
  format?: string;
  q?: string;
  dpr?: string;
  preset?: string;
}

/**
 * A request in its one normal form: output pixels (`dpr` already applied), the fit that applies
 * (one side given: always `inside`), a format and a quality (null for png). Two requests for the
 * same output (`w=400&dpr=2` and `w=800`) have the same normal form, hence the same cache entry
 * and the same signature.
 */
export interface RenderRequest {
  width: number | null;
  height: number | null;
  fit: RenderFit;
  format: RenderFormat;
  quality: number | null;
}

/** Parses and checks a request: malformed or out-of-range parameters are 400, an output over the limits 413. */
export function parseRenderRequest(raw: RawRender, limits: RenderLimits): RenderRequest {
  const preset = raw.preset === undefined ? {} : RENDER_PRESETS[raw.preset];
  if (!preset) throw validationFailed({ preset: `must be one of ${Object.keys(RENDER_PRESETS).join(", ")}` });
  const given = { ...preset, ...definedOnly(raw) };
  const problems: Record<string, string> = {};
  const side = (name: "w" | "h") => {
    const value = given[name];
    if (value === undefined) return null;
    if (!/^\d{1,6}$/.test(value) || Number(value) < 1) problems[name] = "must be a whole number of pixels, at least 1";
    return Number(value);
  };
  const w = side("w");
  const h = side("h");
  const fit = given.fit ?? "cover";
  if (!(RENDER_FITS as readonly string[]).includes(fit)) problems.fit = `must be one of ${RENDER_FITS.join(", ")}`;
  const format = given.format === "jpg" ? "jpeg" : (given.format ?? "webp");
  if (!(RENDER_FORMATS as readonly string[]).includes(format)) problems.format = `must be one of ${RENDER_FORMATS.join(", ")}`;
  let quality: number | null = null;
  if (given.q !== undefined && (!/^\d{1,3}$/.test(given.q) || Number(given.q) < 1 || Number(given.q) > 100)) problems.q = "must be a whole number from 1 to 100";
  else if (format !== "png") quality = given.q === undefined ? DEFAULT_QUALITY[format as RenderFormat] : Number(given.q);
  const dpr = given.dpr === undefined ? 1 : Number(given.dpr);
  if (given.dpr !== undefined && (!/^\d(\.\d{1,2})?$/.test(given.dpr) || dpr < 1 || dpr > MAX_DPR)) problems.dpr = `must be a number from 1 to ${MAX_DPR}, with at most two decimals`;
  if (Object.keys(problems).length > 0) throw validationFailed(problems);

  const request: RenderRequest = {
    width: w === null ? null : Math.round(w * dpr),
    height: h === null ? null : Math.round(h * dpr),
    fit: w === null || h === null ? "inside" : (fit as RenderFit),
    format: format as RenderFormat,
    quality,
  };
  checkOutputSize(request.width ?? 1, request.height ?? 1, limits);
  return request;
}

/** Refuses an output over the limits with 413 RENDER_TOO_LARGE, naming them. */
export function checkOutputSize(width: number, height: number, limits: RenderLimits): void {
  if (width > limits.maxSide || height > limits.maxSide || width * height > limits.maxPixels) {
    throw new AppError("RENDER_TOO_LARGE", `A render may be at most ${limits.maxSide} px on a side and ${limits.maxPixels} pixels in all`, {
      max_side: limits.maxSide,
      max_pixels: limits.maxPixels,
      requested: { width, height },
    });
  }
}

/** The normal form as text: what the cache key and the signature are made of. */
export function canonicalRender(request: RenderRequest): string {
  return `w=${request.width ?? ""}&h=${request.height ?? ""}&fit=${request.fit}&format=${request.format}&q=${request.quality ?? ""}`;
}

/** The normal form as the query of a URL (only what is set). */
export function renderQuery(request: RenderRequest): URLSearchParams {
  const query = new URLSearchParams();
  if (request.width !== null) query.set("w", String(request.width));
  if (request.height !== null) query.set("h", String(request.height));
  query.set("fit", request.fit);
  query.set("format", request.format);
  if (request.quality !== null) query.set("q", String(request.quality));
  return query;
}

/** How each format is stored and sent. */
export const RENDER_FILES: Record<RenderFormat, { mimeType: string; extension: string }> = {
  webp: { mimeType: "image/webp", extension: "webp" },
  avif: { mimeType: "image/avif", extension: "avif" },
  jpeg: { mimeType: "image/jpeg", extension: "jpg" },
  png: { mimeType: "image/png", extension: "png" },
};

function definedOnly(raw: RawRender): Partial<RawRender> {
  return Object.fromEntries(Object.entries(raw).filter(([key, value]) => key !== "preset" && value !== undefined)) as Partial<RawRender>;
}
