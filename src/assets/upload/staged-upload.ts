import type { Readable } from "node:stream";
import type { DataSource, EntityManager } from "typeorm";
import type { JobQueue } from "../jobs/queue";
import type { StorageDriver } from "../storage/storage-driver";
import type { UploadPlan } from "./plan";
import { fileDestination, removeUncommittedFiles, storeCheckedFile } from "./uncommitted-file";
import { discardStaged, type InspectedUpload, type UploadPipeline } from "./upload-pipeline";

export interface StagedUploadDeps {
  db: DataSource;
  storage: StorageDriver;
  pipeline: UploadPipeline;
  queue: JobQueue;
}

/** What becomes of an upload's rows: written (the file stays, derivatives are queued) or not (the file goes). */
export interface UploadOutcome<T> {
  value: T;
  wroteRows: boolean;
}

export interface StagedUpload<T> {
  plan: UploadPlan;
  stream: Readable;
  /** The key the file is stored under (from storage/paths.ts). */
  key: string;
  /** The bytes are already in the store here (a finished resumable upload). */
  storedAt?: string;
  /** Settles when the request carrying the file has been read to its end. */
  requestComplete?: Promise<void>;
  /** Hash the picture while checking the file (see pictureHashAhead). */
  findSimilar?: boolean;
  /** Answers without storing anything (an upload of bytes the library already holds). */
  answerEarly?: (upload: InspectedUpload) => Promise<T | undefined>;
  /** Writes the rows in one transaction (and queues their derivative job in it). */
  writeRows: (m: EntityManager, upload: InspectedUpload) => Promise<UploadOutcome<T>>;
}

/**
 * The one lifecycle of an uploaded file, for new assets, new versions and finished resumable
 * uploads alike: receive and check the bytes (staged, or written to S3 while they arrive), store
 * the file under its key before the transaction opens (the key holds a fresh id, so no other
 * upload can write it, and a slow object store never holds a transaction open), write the rows,
 * then wake a worker. Should the rows not commit, the stored files go, unless the database's
 * answer was lost (the storage reconcile settles those); the staged file always goes.
 */
export async function runStagedUpload<T>(deps: StagedUploadDeps, job: StagedUpload<T>): Promise<T> {
  const { copyFrom, storeAs } = fileDestination(deps.storage, job.key, job.storedAt);
  const upload = await deps.pipeline.receive(job.plan, job.stream, { storeAs, findSimilar: job.findSimilar });
  // Files stored under their keys, to remove should the rows not commit.
  const stored: string[] = upload.storedAs ? [upload.storedAs] : [];
  const removeStored = async () => {
    for (const key of stored.splice(0)) await deps.storage.delete(key);
  };
  try {
    await job.requestComplete;
    const early = await job.answerEarly?.(upload);
    if (early !== undefined) {
      await removeStored();
      return early;
    }
    if (await storeCheckedFile(deps.storage, upload, job.key, copyFrom)) stored.push(job.key);
    const outcome = await deps.db.transaction((m) => job.writeRows(m, upload));
    if (outcome.wroteRows) deps.queue.nudge();
    else await removeStored();
    return outcome.value;
  } catch (error) {
    await removeUncommittedFiles(deps.storage, stored, error);
    throw error;
  } finally {
    await discardStaged(upload);
  }
}
