import type { DerivativeKind } from "../entities/asset-derivative.entity";
import type { VisualSummary } from "../media/visual-summary";

/** A derivative written to the staging area, ready to be committed under its storage key. */
export interface StagedDerivative {
  kind: DerivativeKind;
  stagedPath: string;
  extension: string;
  mimeType: string;
  width: number | null;
  height: number | null;
}

/** A job's output: its files, and for anything with a picture what that picture looks like. */
export interface Derived {
  derivatives: StagedDerivative[];
  visual?: VisualSummary;
}

export interface DeriveContext {
  /** A deterministic staging path for one output of this job, so a retry overwrites, never piles up. */
  stagingPath(kind: DerivativeKind | string, extension: string): string;
  ffmpeg: string;
  timeoutMs: number;
  maxImagePixels: number;
  /** Reports how far the job has come (0 to 1) and what it is doing; long video work calls it as ffmpeg advances. */
  progress?: (fraction: number, step: string) => void;
}

export { PREVIEW_MAX, THUMBNAIL_SIZE } from "../media/still-base";
