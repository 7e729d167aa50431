import fs from "node:fs/promises";
import type { Readable } from "node:stream";
import { AppError } from "../../errors";
import type { AssetMetadata } from "../entities/asset.entity";
import { MIME_TYPES, contentMatches } from "../asset-types";
import type { MediaToolPaths } from "../media/tool-paths";
import type { StorageDriver } from "../storage/storage-driver";
import { pictureHashAhead } from "../derivatives/picture-hash";
import { identifyContent } from "./identify";
import { ingestToFile } from "./ingest";
import { extractMetadata } from "./metadata";
import type { MalwareScanner } from "./malware-scanner";
import type { UploadPlan } from "./plan";

/** A staged file that passed every check. The caller commits or removes `stagedPath`. */
export interface InspectedUpload extends UploadPlan {
  stagedPath: string;
  size: number;
  checksum: string;
  mimeType: string;
  metadata: AssetMetadata;
  /** The key the file was already stored under while it arrived (see `receive`); the caller removes it should the upload not commit. */
  storedAs?: string;
  /** The picture's perceptual hash, when the upload asked for it (`findSimilar`) and the type has a picture. */
  pictureHash?: string | null;
}

export interface UploadPipelineOptions {
  storage: StorageDriver;
  scanner: MalwareScanner;
  tools: MediaToolPaths;
  maxImagePixels: number;
  toolTimeoutMs: number;
}

/** Removes what `receive` staged, whatever became of the upload. */
export async function discardStaged(upload: InspectedUpload): Promise<void> {
  await fs.rm(upload.stagedPath, { force: true });
}

/** Streaming ingest and validation, from request bytes to a checked, staged file with metadata. */
export class UploadPipeline {
  constructor(private readonly options: UploadPipelineOptions) {}

  /**
   * Stages the stream and runs every check; on any failure the staged file is gone. A scanner
   * that can see the bytes as they arrive does so during the ingest; one that needs the landed
   * file (clamd) reads it while the media check decodes it, side by side.
   */
  async receive(plan: UploadPlan, stream: Readable, options: { storeAs?: string; findSimilar?: boolean } = {}): Promise<InspectedUpload> {
    const streamingScan = this.options.scanner.streaming?.();
    // Where storing is a transfer (S3), it runs while the bytes arrive; a refused file is removed.
    const write = options.storeAs ? this.options.storage.openWrite?.(options.storeAs) : undefined;
    let staged;
    try {
      staged = await ingestToFile(stream, this.options.storage.stagingPath(), plan.maxBytes, streamingScan ? [streamingScan] : [], write?.stream);
      await write?.done();
    } catch (error) {
      await write?.abort();
      if (staged) await fs.rm(staged.path, { force: true });
      throw error;
    }
    try {
      const detected = await identifyContent(staged.path, staged.head, plan.format, {
        path: this.options.tools.ffprobe,
        timeoutMs: this.options.toolTimeoutMs,
      });
      if (!detected || !contentMatches(plan.format, detected)) {
        throw new AppError("MIME_MISMATCH", `The content is ${detected ? `a ${detected} file` : "not a recognised media file"}, not .${plan.extension}`, {
          extension: plan.extension,
          detected: detected ?? null,
        });
      }
      // A file the streaming scan already condemned is never handed to a decoder.
      const streamed = streamingScan?.result();
      if (streamed && !streamed.clean) throw malwareFound(streamed.signature);
      const scanned = streamed ? Promise.resolve(streamed) : this.options.scanner.scan(staged.path);
      const tools = { ...this.options.tools, timeoutMs: this.options.toolTimeoutMs, maxImagePixels: this.options.maxImagePixels };
      const inspected = extractMetadata(staged.path, plan, tools);
      // Both run to the end before anything is cleaned up; a malware finding outranks a decode failure.
      const [verdict, media] = await Promise.allSettled([scanned, inspected]);
      if (verdict.status === "rejected") throw verdict.reason;
      if (!verdict.value.clean) throw malwareFound(verdict.value.signature);
      if (media.status === "rejected") throw media.reason;
      const metadata = media.value;
      const pictureHash = options.findSimilar
        ? await pictureHashAhead(staged.path, { ...plan, metadata }, { ...tools, stagingPath: (kind, extension) => `${staged.path}-${kind}.${extension}` })
        : undefined;
      return {
        ...plan,
        stagedPath: staged.path,
        size: staged.size,
        checksum: staged.sha256,
        mimeType: MIME_TYPES[plan.format],
        metadata,
        storedAs: write ? options.storeAs : undefined,
        pictureHash,
      };
    } catch (error) {
      await write?.abort();
      await fs.rm(staged.path, { force: true });
      throw error;
    }
  }
}

function malwareFound(signature: string): AppError {
  return new AppError("SECURITY_VIOLATION", "The file matches a malware signature", { reason: "malware", signature });
}
