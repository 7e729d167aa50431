import type { FileHandle } from "node:fs/promises";

const WINDOW = 256 * 1024;

/**
 * Reads a file front to back through one fixed window, never holding more than `WINDOW` bytes
 * (plus the few a caller asks to see at once): the structure walks use it to check an image is
 * whole without loading it.
 */
export class ByteReader {
  private buffer = Buffer.alloc(0);
  /** Position inside `buffer` of the next unread byte. */
  private at = 0;
  /** File offset of `buffer[0]`. */
  private base = 0;

  constructor(private readonly handle: FileHandle, readonly size: number) {}

  /** File offset of the next unread byte. */
  get offset(): number {
    return this.base + this.at;
  }

  /** Bytes left in the file from the current offset. */
  get remaining(): number {
    return this.size - this.offset;
  }

  /** The next `n` bytes (consumed), or undefined when the file ends first. */
  async take(n: number): Promise<Buffer | undefined> {
    if (!(await this.fill(n))) return undefined;
    const bytes = this.buffer.subarray(this.at, this.at + n);
    this.at += n;
    return bytes;
  }

  /** Skips `n` bytes; false when the file ends first. */
  async skip(n: number): Promise<boolean> {
    if (n > this.remaining) return false;
    const inBuffer = this.buffer.length - this.at;
    if (n <= inBuffer) this.at += n;
    else {
      this.base += this.buffer.length + (n - inBuffer);
      this.buffer = Buffer.alloc(0);
      this.at = 0;
    }
    return true;
  }

  /**
   * Feeds the next `n` bytes to `visit` window by window (consumed); false when the file ends
   * first. Lets a chunk's checksum be computed without holding the chunk.
   */
  async stream(n: number, visit: (bytes: Buffer) => void): Promise<boolean> {
    if (n > this.remaining) return false;
    let left = n;
    while (left > 0) {
      if (this.at >= this.buffer.length && !(await this.fill(1))) return false;
      const piece = this.buffer.subarray(this.at, this.at + Math.min(left, this.buffer.length - this.at));
      visit(piece);
      this.at += piece.length;
      left -= piece.length;
    }
    return true;
  }

  /**
   * Moves to the next `byte` whose following byte `passes` does not let through (not consuming
   * it); false when the file ends first. Searches the window natively, so scanning megabytes of
   * JPEG entropy-coded data costs little more than reading them.
   */
  async seekUnless(byte: number, passes: (following: number) => boolean): Promise<boolean> {
    for (;;) {
      let found = this.buffer.indexOf(byte, this.at);
      while (found >= 0 && found + 1 < this.buffer.length) {
        if (!passes(this.buffer[found + 1])) {
          this.at = found;
          return true;
        }
        found = this.buffer.indexOf(byte, found + 1);
      }
      // Not found, or found as the window's last byte: read on, keeping that byte.
      this.at = found >= 0 ? found : this.buffer.length;
      if (!(await this.fill(found >= 0 ? 2 : 1))) return false;
    }
  }

  /** Makes at least `n` unread bytes available in the buffer; false when the file has fewer. */
  private async fill(n: number): Promise<boolean> {
    const unread = this.buffer.length - this.at;
    if (unread >= n) return true;
    if (n > this.remaining) return false;
    const next = Buffer.allocUnsafe(Math.max(n, Math.min(WINDOW, this.remaining)));
    this.buffer.copy(next, 0, this.at);
    this.base += this.at;
    let length = unread;
    while (length < n) {
      const { bytesRead } = await this.handle.read(next, length, next.length - length, this.base + length);
      if (bytesRead === 0) return false;
      length += bytesRead;
    }
    this.buffer = next.subarray(0, length);
    this.at = 0;
    return true;
  }
}
