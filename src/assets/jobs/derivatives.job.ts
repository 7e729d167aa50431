import fs from "node:fs/promises";
import path from "node:path";
import type PgBoss from "pg-boss";
import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import { formatFor, type MediaFormat } from "../asset-types";
import type { DeriveContext, Derived, StagedDerivative } from "../derivatives/derivative";
import { hashToBigint } from "../media/perceptual-hash";
import { announcedNearDuplicates } from "../similar.service";
import type { VisualSummary } from "../media/visual-summary";
import { AppError } from "../../errors";
import { generateDerivatives } from "../derivatives/generate";
import { Asset, AssetDerivative, AssetVersion } from "../entities";
import type { StoredVisual } from "../entities/asset.entity";
import type { MediaToolPaths } from "../media/tool-paths";
import { assetFileKey } from "../storage/paths";
import type { StorageDriver } from "../storage/storage-driver";
import { derivativeJobDuration } from "../../metrics";
import type { DerivativesJob } from "./queue";
import { announceProgress, recordActivity } from "../activity/activity.repository";
import { SYSTEM_ACTOR } from "../activity/asset-event";
import { progressReporter } from "./progress-reporter";

/** After this many started attempts (crashed workers included) an asset is marked failed. */
export const MAX_PROCESSING_ATTEMPTS = 5;

export interface ProcessorOptions {
  tools: MediaToolPaths;
  timeoutMs: number;
  maxImagePixels: number;
}

interface Claim {
  asset: Asset;
  version: AssetVersion;
  format: MediaFormat;
}

/**
 * Makes the derivatives of one asset version. Idempotent: it re-reads the rows, writes under
 * fixed keys and upserts the records, so a retry or a duplicate delivery converges on the same
 * state. No transaction is open while media tools run.
 */
export class DerivativeProcessor {
  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageDriver,
    private readonly options: ProcessorOptions,
    private readonly log: Logger,
  ) {}

  async handle(job: Pick<PgBoss.JobWithMetadata<DerivativesJob>, "id" | "data" | "retryCount" | "retryLimit">): Promise<void> {
    const { assetId, versionNumber } = job.data;
    const prefix = `derive-${assetId}-v${versionNumber}-`;
    const lastTry = job.retryCount >= job.retryLimit;
    const timer = derivativeJobDuration.startTimer();
    let assetType = "unknown";
    try {
      const claim = await this.claim(assetId, versionNumber);
      if (!claim) return;
      assetType = claim.asset.assetType;
      await this.storage.clearStaging(prefix);
      const { asset } = claim;
      const progress = progressReporter((fraction, step) =>
        announceProgress(this.db, { userId: asset.userId, assetId: asset.id, folderId: asset.folderId, versionNumber }, fraction, step),
        (error) => this.log.warn({ err: error, asset: assetId }, "progress could not be announced"),
      );
      progress.report(0, "started");
      const ctx: DeriveContext = {
        stagingPath: (kind, extension) => this.storage.stagingPath(`${prefix}${kind}.${extension}`),
        ffmpeg: this.options.tools.ffmpeg,
        timeoutMs: this.options.timeoutMs,
        maxImagePixels: this.options.maxImagePixels,
        progress: progress.report,
      };
      const started = Date.now();
      const derived = await this.storage.withLocalFile(claim.version.storagePath, (file) => generateDerivatives(claim.asset, claim.format, file, ctx));
      // Every progress note goes out before `ready` can.
      await progress.settled();
      await this.record(claim, derived);
      timer({ asset_type: assetType, outcome: "made" });
      this.log.info({ job: job.id, asset: assetId, version: versionNumber, ms: Date.now() - started, pid: process.pid }, "derivatives made");
    } catch (error) {
      // A file that does not decode fails the same way every time: no retry will make it decode.
      const final = lastTry || isUndecodable(error);
      timer({ asset_type: assetType, outcome: final ? "failed" : "retried" });
      this.log.warn({ err: error, job: job.id, asset: assetId, lastTry, final }, "derivatives failed");
      if (!final) throw error;
      await this.markFailed(assetId, versionNumber, reasonFor(error));
    } finally {
      await this.storage.clearStaging(prefix);
    }
  }

  /** Counts the attempt and decides whether there is work; crashed attempts count too. */
  private async claim(assetId: string, versionNumber: number): Promise<Claim | undefined> {
    return this.db.transaction(async (m) => {
      const asset = await m.findOne(Asset, { where: { id: assetId }, lock: { mode: "pessimistic_write" } });
      if (!asset || asset.status !== "processing" || asset.currentVersion !== versionNumber) return undefined;
      const version = await m.findOneOrFail(AssetVersion, { where: { assetId, versionNumber } });
      asset.processingAttempts += 1;
      if (asset.processingAttempts > MAX_PROCESSING_ATTEMPTS) {
        const statusReason = `Processing did not finish after ${MAX_PROCESSING_ATTEMPTS} attempts`;
        await m.update(Asset, { id: assetId }, { status: "failed", statusReason });
        await recordActivity(m, [failedEntry(asset, versionNumber, statusReason)]);
        return undefined;
      }
      await m.update(Asset, { id: assetId }, { processingAttempts: asset.processingAttempts });
      const format = formatFor(asset.assetType, version.fileExtension);
      if (!format) throw new Error(`no format for .${version.fileExtension} as ${asset.assetType}`);
      return { asset, version, format };
    });
  }

  /** Files first (durable), then one transaction records them and sets the asset ready. */
  private async record(claim: Claim, { derivatives: staged, visual }: Derived): Promise<void> {
    const { asset, version } = claim;
    const committed: Array<StagedDerivative & { key: string; size: number }> = [];
    for (const derivative of staged) {
      const key = assetFileKey({
        userId: asset.userId,
        assetType: asset.assetType,
        assetId: asset.id,
        createdAt: asset.createdAt,
        extension: derivative.extension,
        versionNumber: version.versionNumber,
        variant: derivative.kind,
      });
      const bytes = (await fs.stat(derivative.stagedPath)).size;
      await this.storage.commit(derivative.stagedPath, key);
      committed.push({ ...derivative, key, size: bytes });
    }
    const stillThere = await this.db.transaction(async (m) => {
      // Under the asset's lock, which pruning and version deletes take too: the version either
      // still exists now, or its derivatives must not be recorded (nor kept) at all.
      const current = await m.findOne(Asset, { where: { id: asset.id }, lock: { mode: "pessimistic_write" } });
      if (!current) return false;
      // The version's looks are written first: no row updated means the version is gone.
      const looks = { visual: visual ? storedVisual(visual) : null, phash: visual ? hashToBigint(visual.phash) : null };
      if (!(await m.update(AssetVersion, { assetId: asset.id, versionNumber: version.versionNumber }, looks)).affected) return false;
      for (const d of committed) {
        await m
          .createQueryBuilder()
          .insert()
          .into(AssetDerivative)
          .values({ assetId: asset.id, versionNumber: version.versionNumber, kind: d.kind, storagePath: d.key, mimeType: d.mimeType, fileSize: d.size, width: d.width, height: d.height })
          .orUpdate(["storage_path", "mime_type", "file_size", "width", "height"], ["asset_id", "version_number", "kind"])
          .execute();
      }
      if (current.currentVersion !== version.versionNumber) return true;
      // The asset mirrors its current version's looks; the job that made them also makes it ready.
      const becomesReady = current.status === "processing";
      // Near-duplicates are known once the picture is hashed: the `ready` event names them.
      const near = becomesReady && visual ? await announcedNearDuplicates(m, asset.userId, visual.phash, asset.id) : [];
      await m.update(Asset, { id: asset.id }, becomesReady ? { ...looks, status: "ready", statusReason: null } : looks);
      if (becomesReady) {
        await recordActivity(m, [{
          userId: asset.userId, assetId: asset.id, folderId: current.folderId, type: "ready", actor: SYSTEM_ACTOR, versionNumber: version.versionNumber,
          after: { status: "ready", derivatives: committed.map((d) => d.kind), ...(visual && { near_duplicates: near.map((n) => ({ asset_id: n.assetId, distance: n.distance })) }) },
        }]);
      }
      return true;
    });
    // The asset was purged, or the version pruned, while its derivatives were being made: nothing may point at them.
    if (!stillThere) for (const d of committed) await this.storage.delete(d.key);
  }

  private async markFailed(assetId: string, versionNumber: number, reason: string): Promise<void> {
    await this.db.transaction(async (m) => {
      // As a CTE the statement returns plain rows (TypeORM wraps a bare UPDATE's rows with a count).
      const [updated]: Array<Pick<Asset, "id" | "userId" | "folderId">> = await m.query(
        `WITH failed AS (
           UPDATE assets SET status = 'failed', status_reason = $3
            WHERE asset_id = $1 AND current_version = $2 AND status = 'processing'
            RETURNING asset_id, user_id, folder_id)
         SELECT asset_id AS id, user_id AS "userId", folder_id AS "folderId" FROM failed`,
        [assetId, versionNumber, reason],
      );
      if (updated) await recordActivity(m, [failedEntry(updated, versionNumber, reason)]);
    });
  }
}

/** As the version and asset rows keep it (the hash has its own column). */
function storedVisual(visual: VisualSummary): StoredVisual {
  return { thumbhash: visual.thumbhash, dominant_color: visual.dominantColor, palette: visual.palette, color_family: visual.colorFamily };
}

function isUndecodable(error: unknown): boolean {
  return error instanceof AppError && error.code === "INCOMPLETE_UPLOAD";
}

/** A reason fit for the asset's owner: what went wrong, without server paths. */
export function reasonFor(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const clean = message.replace(/(?:file:)?\/[^\s'":]+/g, (p) => path.basename(p)).slice(0, 300);
  return `Could not make derivatives: ${clean}`;
}

function failedEntry(asset: Pick<Asset, "id" | "userId" | "folderId">, versionNumber: number, reason: string) {
  return { userId: asset.userId, assetId: asset.id, folderId: asset.folderId, type: "failed" as const, actor: SYSTEM_ACTOR, versionNumber, after: { status: "failed", status_reason: reason } };
}
