import fs from "node:fs";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import sharp from "sharp";

/**
 * A valid MP4 of about `totalBytes`: a real fixture followed by an ISO BMFF `free` box, which
 * players and demuxers skip. Written in 1 MiB steps, never held in memory.
 */
export async function writePaddedMp4(source: string, target: string, totalBytes: number): Promise<void> {
  const sourceSize = fs.statSync(source).size;
  const padding = totalBytes - sourceSize;
  if (padding < 8 || padding > 0xffffffff) throw new Error("padding must fit one 32-bit box");
  const header = Buffer.alloc(8);
  header.writeUInt32BE(padding, 0);
  header.write("free", 4, "latin1");
  const zeros = Buffer.alloc(1024 * 1024);
  async function* body() {
    yield* fs.createReadStream(source);
    yield header;
    for (let left = padding - 8; left > 0; left -= zeros.length) yield left >= zeros.length ? zeros : zeros.subarray(0, left);
  }
  await pipeline(body(), fs.createWriteStream(target));
}

/**
 * A PNG that is whole in structure (every chunk complete, every CRC right) but whose compressed
 * pixel data is damaged: only decoding it finds that out.
 */
export function writeDamagedPixelPng(source: string, target: string): void {
  const bytes = Buffer.from(fs.readFileSync(source));
  const at = bytes.indexOf("IDAT") - 4;
  const length = bytes.readUInt32BE(at);
  for (let i = at + 8 + 40; i < at + 8 + Math.min(length, 400); i++) bytes[i] ^= 0x5a;
  bytes.writeUInt32BE(zlib.crc32(bytes.subarray(at + 4, at + 8 + length)) >>> 0, at + 8 + length);
  fs.writeFileSync(target, bytes);
}

/** A mono 16-bit PCM WAV at `sampleRate` holding exactly `samples`. */
export function writeWav(target: string, sampleRate: number, samples: Int16Array): void {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(36 + samples.byteLength, 4);
  header.write("WAVEfmt ", 8, "latin1");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "latin1");
  header.writeUInt32LE(samples.byteLength, 40);
  fs.writeFileSync(target, Buffer.concat([header, Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength)]));
}

/** A PNG whose left `share` is `left` and the rest `right`. */
export async function twoColours(left: string, right: string, share: number, width = 300, height = 200): Promise<Buffer> {
  const split = Math.round(width * share);
  const part = (colour: string, w: number) => sharp({ create: { width: w, height, channels: 3, background: colour } }).png().toBuffer();
  return sharp({ create: { width, height, channels: 3, background: right } })
    .composite([{ input: await part(left, split), left: 0, top: 0 }])
    .png()
    .toBuffer();
}
