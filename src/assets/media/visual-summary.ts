import sharp from "sharp";
import { rgbaToThumbHash } from "thumbhash";
import { perceptualHash } from "./perceptual-hash";
import type { StillBase } from "./still-base";
import type { ColorFamily } from "./color-families";

/** What a page shows before (or instead of) the picture itself, from the preview-sized decode. */
export interface VisualSummary {
  /** ThumbHash (https://evanw.github.io/thumbhash/), base64: a blurred placeholder in about 25 bytes. */
  thumbhash: string;
  /** The most common colour, `#rrggbb` (transparent pixels left out). */
  dominantColor: string;
  /** Up to five distinct colours, most common first; the first is the dominant one. */
  palette: string[];
  /** The dominant colour's family, for filtering: see COLOR_FAMILIES. */
  colorFamily: ColorFamily;
  /** The 64-bit perceptual hash, 16 hex digits (media/perceptual-hash.ts). */
  phash: string;
}


const PALETTE_SIZE = 5;
/** Colours closer than this (Euclidean, 0-255 RGB) count as one palette entry. */
const DISTINCT = 48;
/** A palette colour covers at least this share of the picture. */
const MIN_SHARE = 0.03;

export async function visualSummary(base: StillBase): Promise<VisualSummary> {
  const source = () => sharp(base.data, { raw: base.info }).toColourspace("srgb").ensureAlpha();
  const [hashInput, sample, phash] = await Promise.all([
    // ThumbHash takes at most 100x100.
    source().resize(100, 100, { fit: "inside" }).raw().toBuffer({ resolveWithObject: true }),
    source().resize(64, 64, { fit: "inside" }).raw().toBuffer({ resolveWithObject: true }),
    perceptualHash(base),
  ]);
  const thumbhash = Buffer.from(rgbaToThumbHash(hashInput.info.width, hashInput.info.height, hashInput.data)).toString("base64");
  const palette = paletteOf(sample.data);
  return { thumbhash, dominantColor: palette[0], palette, colorFamily: colorFamily(palette[0]), phash };
}

/**
 * The palette of RGBA pixels: a histogram over 5 bits per channel; bins from the most common down
 * either join the first palette colour within DISTINCT of them (adding their pixels to its
 * weight) or start a new one; colours under MIN_SHARE of the pixels (the blend along an edge) are
 * dropped, and the heaviest PALETTE_SIZE returned. Mostly transparent pixels are left out; a fully
 * transparent picture reads as white.
 */
export function paletteOf(rgba: Buffer): string[] {
  const bins = new Map<number, { n: number; r: number; g: number; b: number }>();
  let counted = 0;
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i + 3] < 128) continue;
    counted++;
    const key = ((rgba[i] >> 3) << 10) | ((rgba[i + 1] >> 3) << 5) | (rgba[i + 2] >> 3);
    const bin = bins.get(key) ?? { n: 0, r: 0, g: 0, b: 0 };
    bin.n++;
    bin.r += rgba[i];
    bin.g += rgba[i + 1];
    bin.b += rgba[i + 2];
    bins.set(key, bin);
  }
  const colours: Array<{ rgb: [number, number, number]; weight: number }> = [];
  const ranked = [...bins.entries()].sort((a, b) => b[1].n - a[1].n || a[0] - b[0]);
  for (const [, bin] of ranked) {
    const rgb = [bin.r / bin.n, bin.g / bin.n, bin.b / bin.n].map(Math.round) as [number, number, number];
    const near = colours.find((c) => Math.hypot(c.rgb[0] - rgb[0], c.rgb[1] - rgb[1], c.rgb[2] - rgb[2]) < DISTINCT);
    if (near) near.weight += bin.n;
    else colours.push({ rgb, weight: bin.n });
  }
  const kept = colours.filter((c) => c.weight >= MIN_SHARE * counted).sort((a, b) => b.weight - a.weight).slice(0, PALETTE_SIZE);
  return kept.length > 0 ? kept.map((c) => hex(c.rgb)) : ["#ffffff"];
}

const hex = ([r, g, b]: [number, number, number]) => `#${[r, g, b].map((c) => c.toString(16).padStart(2, "0")).join("")}`;

/** A colour's family from its hue, saturation and lightness (HSL), as a person would name it. */
export function colorFamily(color: string): ColorFamily {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16) / 255);
  const [max, min] = [Math.max(r, g, b), Math.min(r, g, b)];
  const lightness = (max + min) / 2;
  const chroma = max - min;
  const saturation = chroma === 0 ? 0 : chroma / (1 - Math.abs(2 * lightness - 1));
  if (lightness < 0.12) return "black";
  if (lightness > 0.92 && saturation < 0.5) return "white";
  if (saturation < 0.15 || chroma < 0.08) return lightness < 0.3 ? "black" : lightness > 0.85 ? "white" : "gray";
  let hue = max === r ? ((g - b) / chroma) % 6 : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
  hue = (hue * 60 + 360) % 360;
  if (hue < 15 || hue >= 345) return lightness < 0.35 && saturation < 0.6 ? "brown" : "red";
  if (hue < 45) return lightness < 0.4 ? "brown" : "orange";
  if (hue < 70) return "yellow";
  if (hue < 160) return "green";
  if (hue < 195) return "teal";
  if (hue < 255) return "blue";
  if (hue < 315) return "purple";
  return "pink";
}
