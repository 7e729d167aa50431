import sharp from "sharp";
import type { StillBase } from "./still-base";

const SIZE = 32;
const KEPT = 8;

/** cos((2x + 1) u π / 2N) for the 32-point DCT-II, computed once. */
const COSINES = Array.from({ length: KEPT }, (_, u) => Float64Array.from({ length: SIZE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * SIZE))));

/**
 * A 64-bit perceptual hash (pHash): the picture in gray, squeezed to 32x32, through a 2-D DCT; each
 * of the 8x8 lowest frequencies is one bit, set when above their median. Resizing, re-encoding and
 * slight crops move only a few bits, so near-duplicates lie within a small Hamming distance.
 * Returned as 16 hex digits, most significant bit first.
 */
export async function perceptualHash(base: StillBase): Promise<string> {
  const gray = await sharp(base.data, { raw: base.info })
    .flatten({ background: "#ffffff" })
    .greyscale()
    .resize(SIZE, SIZE, { fit: "fill", kernel: "cubic" })
    .raw()
    .toBuffer();
  return hashOfGray(gray);
}

/** The hash of a 32x32 8-bit gray image (one byte per pixel, row by row). */
export function hashOfGray(gray: Uint8Array): string {
  // Separable DCT: rows first (kept frequencies only), then columns.
  const rows = Array.from({ length: SIZE }, (_, y) => COSINES.map((cos) => cos.reduce((sum, c, x) => sum + c * gray[y * SIZE + x], 0)));
  const coefficients: number[] = [];
  for (let v = 0; v < KEPT; v++) {
    for (let u = 0; u < KEPT; u++) coefficients.push(COSINES[v].reduce((sum, c, y) => sum + c * rows[y][u], 0));
  }
  // The DC term (average brightness) is left out of the median, as pHash does.
  const median = [...coefficients.slice(1)].sort((a, b) => a - b)[Math.floor((coefficients.length - 1) / 2)];
  let hash = 0n;
  for (const coefficient of coefficients) hash = (hash << 1n) | (coefficient > median ? 1n : 0n);
  return hash.toString(16).padStart(16, "0");
}

/** Bits in which two hashes differ. */
export function hammingDistance(a: string, b: string): number {
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  for (; diff; diff &= diff - 1n) count++;
  return count;
}

/** The hash as PostgreSQL's signed BIGINT holds it, and back. */
export const hashToBigint = (hex: string): string => BigInt.asIntN(64, BigInt(`0x${hex}`)).toString();
export const bigintToHash = (value: string): string => BigInt.asUintN(64, BigInt(value)).toString(16).padStart(16, "0");

/** The hash's four 16-bit bands, most significant first (as the band indexes split the BIGINT). */
export function bandsOf(hex: string): number[] {
  return [0, 4, 8, 12].map((at) => parseInt(hex.slice(at, at + 4), 16));
}

/**
 * Every 16-bit value within `radius` bits of `band`. Two hashes within distance d share a band
 * within floor(d / 4) bits (four bands, pigeonhole), so these values, looked up in the band
 * indexes, find every candidate without reading other hashes.
 */
export function bandNeighbours(band: number, radius: number): number[] {
  const out = [band];
  const extend = (value: number, from: number, left: number) => {
    for (let bit = from; bit < 16; bit++) {
      const next = value ^ (1 << bit);
      out.push(next);
      if (left > 1) extend(next, bit + 1, left - 1);
    }
  };
  if (radius > 0) extend(band, 0, radius);
  return out;
}
