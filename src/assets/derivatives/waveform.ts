/**
 * Min/max peaks of a mono 16-bit PCM stream, computed as the bytes arrive: the decoded audio is
 * never held whole. `expectedSamples` (from the duration) sizes the buckets; a stream that runs
 * longer simply fills the last bucket.
 */
export class PeakAccumulator {
  private readonly mins: Float32Array;
  private readonly maxs: Float32Array;
  private readonly perBucket: number;
  private sampleIndex = 0;
  private carry: Buffer | undefined;

  constructor(readonly buckets: number, expectedSamples: number) {
    this.mins = new Float32Array(buckets).fill(Infinity);
    this.maxs = new Float32Array(buckets).fill(-Infinity);
    this.perBucket = Math.max(1, Math.ceil(expectedSamples / buckets));
  }

  push(chunk: Buffer): void {
    let data = chunk;
    if (this.carry) {
      data = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    const whole = data.length - (data.length % 2);
    for (let offset = 0; offset < whole; offset += 2) {
      const value = data.readInt16LE(offset) / 32768;
      const bucket = Math.min(this.buckets - 1, Math.floor(this.sampleIndex / this.perBucket));
      if (value < this.mins[bucket]) this.mins[bucket] = value;
      if (value > this.maxs[bucket]) this.maxs[bucket] = value;
      this.sampleIndex++;
    }
    if (whole < data.length) this.carry = data.subarray(whole);
  }

  get samples(): number {
    return this.sampleIndex;
  }

  /** [min0, max0, min1, max1, ...] in -1..1, rounded to 4 places; silent buckets are 0. */
  peaks(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.buckets; i++) {
      const empty = this.mins[i] === Infinity;
      out.push(empty ? 0 : round(this.mins[i]), empty ? 0 : round(this.maxs[i]));
    }
    return out;
  }
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** The peaks drawn as an SVG: one vertical bar per bucket, centred on the mid line. */
export function waveformSvg(peaks: number[], width: number, height: number, color = "#3b82f6"): string {
  const buckets = peaks.length / 2;
  const barWidth = width / buckets;
  const mid = height / 2;
  const bars: string[] = [];
  for (let i = 0; i < buckets; i++) {
    const top = mid - Math.max(peaks[2 * i + 1], 0) * mid;
    const bottom = mid - Math.min(peaks[2 * i], 0) * mid;
    bars.push(`M${(i * barWidth + barWidth / 2).toFixed(2)} ${top.toFixed(2)}V${Math.max(bottom, top + 1).toFixed(2)}`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><path d="${bars.join("")}" stroke="${color}" stroke-width="${Math.max(1, barWidth * 0.7).toFixed(2)}" fill="none"/></svg>`;
}
