/**
 * A waveform in BBC audiowaveform's JSON data format (version 2): min/max pairs of 8-bit values,
 * one pair per `samples_per_pixel` samples at `sample_rate`. peaks.js and wavesurfer.js load it as
 * is (https://github.com/bbc/audiowaveform/blob/master/doc/DataFormat.md).
 */
export interface AudiowaveformData {
  version: 2;
  channels: 1;
  sample_rate: number;
  samples_per_pixel: number;
  bits: 8;
  length: number;
  data: number[];
}

/**
 * Min/max of a mono signed 16-bit PCM stream per `samplesPerPixel` samples, computed as the bytes
 * arrive: the decoded audio is never held whole. Values are kept at 8 bits as audiowaveform's
 * `-b 8` does (the 16-bit sample divided by 256, rounded down: -128..127).
 */
export class PeakAccumulator {
  private readonly data: number[] = [];
  private sampleIndex = 0;
  private min = 127;
  private max = -128;
  private carry: Buffer | undefined;

  constructor(
    readonly sampleRate: number,
    readonly samplesPerPixel: number,
  ) {}

  push(chunk: Buffer): void {
    let data = chunk;
    if (this.carry) {
      data = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    const whole = data.length - (data.length % 2);
    for (let offset = 0; offset < whole; offset += 2) {
      const value = data.readInt16LE(offset) >> 8;
      if (value < this.min) this.min = value;
      if (value > this.max) this.max = value;
      if (++this.sampleIndex % this.samplesPerPixel === 0) this.closePixel();
    }
    if (whole < data.length) this.carry = data.subarray(whole);
  }

  /** The whole stream in audiowaveform's format; a last, partial pixel counts as one. */
  result(): AudiowaveformData {
    const data = [...this.data];
    if (this.sampleIndex % this.samplesPerPixel !== 0) data.push(this.min, this.max);
    return { version: 2, channels: 1, sample_rate: this.sampleRate, samples_per_pixel: this.samplesPerPixel, bits: 8, length: data.length / 2, data };
  }

  private closePixel(): void {
    this.data.push(this.min, this.max);
    this.min = 127;
    this.max = -128;
  }
}

/**
 * The waveform reduced to `bars` min/max pairs in -1..1 for drawing (each bar the extremes of the
 * pixels it covers); fewer pixels than bars are drawn as they are.
 */
export function waveformBars(waveform: AudiowaveformData, bars: number): number[] {
  const count = Math.min(bars, waveform.length);
  const out: number[] = [];
  for (let bar = 0; bar < count; bar++) {
    const [from, to] = [Math.floor((bar * waveform.length) / count), Math.floor(((bar + 1) * waveform.length) / count)];
    let [min, max] = [127, -128];
    for (let i = from; i < to; i++) {
      min = Math.min(min, waveform.data[2 * i]);
      max = Math.max(max, waveform.data[2 * i + 1]);
    }
    out.push(min / 128, max / 128);
  }
  return out;
}

/** The bars drawn as an SVG: one vertical bar per min/max pair, centred on the mid line. */
export function waveformSvg(bars: number[], width: number, height: number, color = "#3b82f6"): string {
  const count = bars.length / 2;
  const barWidth = width / count;
  const mid = height / 2;
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const top = mid - Math.max(bars[2 * i + 1], 0) * mid;
    const bottom = mid - Math.min(bars[2 * i], 0) * mid;
    paths.push(`M${(i * barWidth + barWidth / 2).toFixed(2)} ${top.toFixed(2)}V${Math.max(bottom, top + 1).toFixed(2)}`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><path d="${paths.join("")}" stroke="${color}" stroke-width="${Math.max(1, barWidth * 0.7).toFixed(2)}" fill="none"/></svg>`;
}
