import fs from "node:fs/promises";
import zlib from "node:zlib";
import { ByteReader } from "./byte-reader";

export type RasterFormat = "jpg" | "png" | "gif" | "webp";

/** What is wrong with an image's structure, in words for its owner; undefined when it is whole. */
export type StructureFault = string | undefined;

/**
 * Proves a raster image is complete without decoding a pixel: every segment, chunk or block the
 * format declares is there in full (PNG chunks also match their CRCs), through to the format's
 * end marker. This is the upload's integrity check; the pixel data itself is decoded once, by the
 * derivative job, which marks the asset failed if it does not decode (see docs/upload-pipeline.md).
 * Reads the file once, front to back, through a small window.
 */
export async function structureFault(file: string, format: RasterFormat): Promise<StructureFault> {
  const handle = await fs.open(file, "r");
  try {
    const reader = new ByteReader(handle, (await handle.stat()).size);
    switch (format) {
      case "jpg":
        return await jpegFault(reader);
      case "png":
        return await pngFault(reader);
      case "gif":
        return await gifFault(reader);
      case "webp":
        return await webpFault(reader);
    }
  } finally {
    await handle.close();
  }
}

const TRUNCATED = "the file ends before the image does";

/** SOI, marker segments whose lengths fit, a frame header, entropy-coded scans, then EOI. Bytes after EOI (MPF, gain maps) are the file's own business. */
async function jpegFault(r: ByteReader): Promise<StructureFault> {
  const soi = await r.take(2);
  if (!soi || soi[0] !== 0xff || soi[1] !== 0xd8) return "no JPEG start-of-image marker";
  let frame = false;
  let scans = 0;
  for (;;) {
    const prefix = await r.take(1);
    if (!prefix) return TRUNCATED;
    if (prefix[0] !== 0xff) return `a byte that is not a marker at offset ${r.offset - 1}`;
    let marker = 0xff;
    while (marker === 0xff) {
      const next = await r.take(1);
      if (!next) return TRUNCATED;
      marker = next[0];
    }
    if (marker === 0xd9) return frame && scans > 0 ? undefined : "no image data before the end-of-image marker";
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // standalone markers
    if (marker === 0x00) return `a stray marker byte at offset ${r.offset - 2}`;
    const length = await r.take(2);
    if (!length) return TRUNCATED;
    const size = length.readUInt16BE(0);
    if (size < 2) return `a segment of impossible length at offset ${r.offset - 4}`;
    if (!(await r.skip(size - 2))) return TRUNCATED;
    if (isFrameHeader(marker)) frame = true;
    if (marker === 0xda) {
      if (!frame) return "a scan before the frame header";
      scans += 1;
      const fault = await skipEntropyCodedData(r);
      if (fault) return fault;
    }
  }
}

function isFrameHeader(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/**
 * Moves to the marker that ends a scan: an 0xFF not followed by a stuffed 0x00, a restart marker
 * or another 0xFF (fill before the marker).
 */
async function skipEntropyCodedData(r: ByteReader): Promise<StructureFault> {
  const insideScan = (following: number) => following === 0x00 || following === 0xff || (following >= 0xd0 && following <= 0xd7);
  return (await r.seekUnless(0xff, insideScan)) ? undefined : TRUNCATED;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The signature, IHDR first, chunks whose lengths fit and whose CRCs match, IDAT, then IEND. */
async function pngFault(r: ByteReader): Promise<StructureFault> {
  const signature = await r.take(8);
  if (!signature?.equals(PNG_SIGNATURE)) return "no PNG signature";
  let first = true;
  let data = false;
  for (;;) {
    const head = await r.take(8);
    if (!head) return TRUNCATED;
    const length = head.readUInt32BE(0);
    const type = head.toString("latin1", 4, 8);
    if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type)) return `a damaged chunk at offset ${r.offset - 8}`;
    if (first && type !== "IHDR") return "the first chunk is not IHDR";
    first = false;
    let crc = zlib.crc32(head.subarray(4, 8));
    if (!(await r.stream(length, (bytes) => (crc = zlib.crc32(bytes, crc))))) return TRUNCATED;
    const stored = await r.take(4);
    if (!stored) return TRUNCATED;
    if (stored.readUInt32BE(0) !== crc >>> 0) return `the ${type} chunk at offset ${r.offset - 12 - length} fails its CRC`;
    if (type === "IDAT") data = true;
    if (type === "IEND") return data ? undefined : "no image data (IDAT) before IEND";
  }
}

/** Header, screen descriptor and colour table, then extensions and images block by block to the trailer. */
async function gifFault(r: ByteReader): Promise<StructureFault> {
  const header = await r.take(13);
  if (!header) return TRUNCATED;
  if (!/^GIF8[79]a$/.test(header.toString("latin1", 0, 6))) return "no GIF header";
  if (header[10] & 0x80 && !(await r.skip(3 * 2 ** ((header[10] & 0x07) + 1)))) return TRUNCATED;
  let images = 0;
  for (;;) {
    const introducer = await r.take(1);
    if (!introducer) return TRUNCATED;
    if (introducer[0] === 0x3b) return images > 0 ? undefined : "no image before the trailer";
    if (introducer[0] === 0x21) {
      if (!(await r.skip(1)) || !(await skipSubBlocks(r))) return TRUNCATED;
    } else if (introducer[0] === 0x2c) {
      const descriptor = await r.take(9);
      if (!descriptor) return TRUNCATED;
      if (descriptor[8] & 0x80 && !(await r.skip(3 * 2 ** ((descriptor[8] & 0x07) + 1)))) return TRUNCATED;
      if (!(await r.skip(1)) || !(await skipSubBlocks(r))) return TRUNCATED;
      images += 1;
    } else return `an unknown block at offset ${r.offset - 1}`;
  }
}

async function skipSubBlocks(r: ByteReader): Promise<boolean> {
  for (;;) {
    const size = await r.take(1);
    if (!size) return false;
    if (size[0] === 0) return true;
    if (!(await r.skip(size[0]))) return false;
  }
}

/** The RIFF container whole (its declared size within the file) and chunk by chunk, with image data in it. */
async function webpFault(r: ByteReader): Promise<StructureFault> {
  const header = await r.take(12);
  if (!header || header.toString("latin1", 0, 4) !== "RIFF" || header.toString("latin1", 8, 12) !== "WEBP") return "no WebP RIFF header";
  const end = 8 + header.readUInt32LE(4);
  if (end > r.size) return TRUNCATED;
  let image = false;
  while (r.offset < end) {
    const chunk = await r.take(8);
    if (!chunk || r.offset > end) return TRUNCATED;
    const type = chunk.toString("latin1", 0, 4);
    const size = chunk.readUInt32LE(4);
    if (r.offset + size + (size & 1) > end || !(await r.skip(size + (size & 1)))) return TRUNCATED;
    if (type === "VP8 " || type === "VP8L" || type === "ANMF") image = true;
  }
  return image ? undefined : "no image data in the WebP container";
}
