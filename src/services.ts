import type { DataSource } from "typeorm";
import type { AssetService } from "./assets/asset.service";
import type { FileAccessService } from "./assets/file-access.service";
import type { FolderService } from "./assets/folder.service";
import type { PurgeService } from "./assets/purge.service";
import type { ReferenceService } from "./assets/reference.service";
import type { SearchService } from "./assets/search.service";
import type { SimilarService } from "./assets/similar.service";
import type { StatsService } from "./assets/stats.service";
import type { StorageReconcileService } from "./assets/storage-reconcile.service";
import type { TagService } from "./assets/tag.service";
import type { VersionService } from "./assets/version.service";
import type { ResumableUploadService } from "./assets/resumable/resumable-uploads.service";
import type { Locker } from "@tus/utils";
import type { StorageDriver } from "./assets/storage/storage-driver";
import type { AssetUrlBuilder } from "./assets/urls";
import type { Authenticator } from "./auth/tokens";
import type { Config } from "./config";
import type { ActivityService } from "./assets/activity/activity.service";
import type { RenderService } from "./assets/render/render.service";
import type { FocalPointService } from "./assets/render/focal-point.service";
import type { WebhookService } from "./assets/webhooks/webhook.service";

/** Everything the wire layers (GraphQL and REST) may call. */
export interface Services {
  config: Config;
  db: DataSource;
  storage: StorageDriver;
  authenticator: Authenticator;
  assets: AssetService;
  folders: FolderService;
  tags: TagService;
  search: SearchService;
  similar: SimilarService;
  versions: VersionService;
  references: ReferenceService;
  stats: StatsService;
  files: FileAccessService;
  /** The URLs every asset response carries. */
  urls: AssetUrlBuilder;
  purge: PurgeService;
  storageReconcile: StorageReconcileService;
  resumableUploads: ResumableUploadService;
  /** Locks on resumable uploads, shared by every API node (PostgreSQL advisory locks). */
  uploadLocks: Locker;
  /** The audit trail and live events. */
  activity: ActivityService;
  webhooks: WebhookService;
  /** On-the-fly transforms and the focal point their crops keep. */
  renders: RenderService;
  focalPoints: FocalPointService;
}
