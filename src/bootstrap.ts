import type { Logger } from "pino";
import { AssetService } from "./assets/asset.service";
import { FileAccessService } from "./assets/file-access.service";
import { FolderService } from "./assets/folder.service";
import { RenderService } from "./assets/render/render.service";
import { FocalPointService } from "./assets/render/focal-point.service";
import { UrlSigner } from "./assets/signed-urls";
import { AssetUrlBuilder } from "./assets/urls";
import { PurgeService } from "./assets/purge.service";
import { ReferenceService } from "./assets/reference.service";
import { SearchService } from "./assets/search.service";
import { SimilarService } from "./assets/similar.service";
import { StatsService } from "./assets/stats.service";
import { StorageReconcileService } from "./assets/storage-reconcile.service";
import { TagService } from "./assets/tag.service";
import { VersionService } from "./assets/version.service";
import { PgLocker } from "./assets/resumable/pg-locker";
import { ResumableUploadService } from "./assets/resumable/resumable-uploads.service";
import { openTusStore } from "./assets/resumable/tus-store";
import { DerivativeProcessor } from "./assets/jobs/derivatives.job";
import { JobQueue } from "./assets/jobs/queue";
import { startWorkers, type WorkerHost } from "./assets/jobs/worker-host";
import { resolveMediaTools } from "./assets/media/tool-paths";
import { openStorage } from "./assets/storage/open-storage";
import type { StorageDriver } from "./assets/storage/storage-driver";
import { clamdScanner, eicarScanner } from "./assets/upload/malware-scanner";
import { UploadPipeline } from "./assets/upload/upload-pipeline";
import { resolveAuthSecret } from "./auth/secret";
import { createAuthenticator } from "./auth/tokens";
import type { Config } from "./config";
import { ENTITIES } from "./assets/entities";
import { openDatabase, type Database } from "./db/database";
import { registerRuntimeGauges } from "./http/metrics";
import type { Services } from "./services";
import { AssetEventBus } from "./assets/activity/event-bus";
import { ActivityService } from "./assets/activity/activity.service";
import { WebhookService } from "./assets/webhooks/webhook.service";
import { WebhookSender } from "./assets/webhooks/webhook-sender";
import { WebhookDispatcher } from "./assets/webhooks/webhook-dispatcher";

export interface Runtime {
  services: Services;
  database: Database;
  queue: JobQueue;
  /** This process's derivative workers, when it runs any. */
  workers: WorkerHost | undefined;
  authSecret: string;
  /** Stops workers, then the queue, then the database. */
  close(): Promise<void>;
}

/**
 * config -> database -> storage -> media tools -> queue -> services (-> workers); the HTTP layer
 * goes on top. `workers` is how many derivative workers this process runs (0: none).
 */
export async function startRuntime(config: Config, log: Logger, options: { workers: number }): Promise<Runtime> {
  const database = await openDatabase(config, log, ENTITIES);
  let queue: JobQueue | undefined;
  let workers: WorkerHost | undefined;
  let storage: StorageDriver | undefined;
  let uploadLocks: PgLocker | undefined;
  let events: AssetEventBus | undefined;
  try {
    storage = openStorage(config);
    const swept = await storage.init();
    if (swept.length > 0) log.warn({ directories: swept }, "removed staging left by processes that are gone");
    const tools = resolveMediaTools(config);
    const scanner = config.clamd ? clamdScanner({ ...config.clamd, timeoutMs: config.mediaToolTimeoutMs }) : eicarScanner;
    const pipeline = new UploadPipeline({ storage, scanner, tools, maxImagePixels: config.maxImagePixels, toolTimeoutMs: config.mediaToolTimeoutMs });
    queue = await JobQueue.start(
      {
        connectionString: database.url,
        retryLimit: config.jobRetryLimit,
        jobTimeoutSeconds: config.jobTimeoutSeconds,
        maintenanceIntervalSeconds: config.queueMaintenanceSeconds,
        timeouts: config.databaseTimeouts,
        webhooks: config.webhooks,
      },
      log,
    );
    events = new AssetEventBus(database.url, log);
    await events.start();
    const authSecret = await resolveAuthSecret(config);
    const tags = new TagService(database.dataSource);
    const signer = new UrlSigner(authSecret, config.signedUrls.maxSeconds);
    const lifetimes = {
      download: Math.min(config.signedUrls.downloadSeconds, config.signedUrls.maxSeconds),
      thumbnail: Math.min(config.signedUrls.thumbnailSeconds, config.signedUrls.maxSeconds),
    };
    const urls = new AssetUrlBuilder(config.publicUrl, signer, lifetimes);
    const assets = new AssetService(database.dataSource, storage, pipeline, queue, tags, log);
    const versions = new VersionService(database.dataSource, storage, pipeline, queue, log);
    const stagingStorage = storage;
    uploadLocks = new PgLocker(database.url, log);
    const services: Services = {
      config,
      db: database.dataSource,
      storage,
      authenticator: createAuthenticator({ secret: authSecret, jwksUrl: config.authJwksUrl }),
      assets,
      folders: new FolderService(database.dataSource),
      tags,
      search: new SearchService(database.dataSource),
      similar: new SimilarService(database.dataSource),
      versions,
      references: new ReferenceService(database.dataSource),
      stats: new StatsService(database.dataSource),
      urls,
      files: new FileAccessService(database.dataSource, signer, urls, lifetimes),
      purge: new PurgeService(database.dataSource, storage, log),
      storageReconcile: new StorageReconcileService(database.dataSource, storage, log),
      resumableUploads: new ResumableUploadService(
        database.dataSource,
        openTusStore(config, () => stagingStorage.stagingPath()),
        assets,
        versions,
        { expirySeconds: config.resumableUploads.expirySeconds },
        log,
      ),
      uploadLocks,
      activity: new ActivityService(database.dataSource, events),
      webhooks: new WebhookService(database.dataSource, { allowPrivate: config.webhooks.allowPrivate }),
      renders: new RenderService(database.dataSource, storage, signer, urls, { ...config.renders, ffmpeg: tools.ffmpeg, maxImagePixels: config.maxImagePixels, timeoutMs: config.derivativeTimeoutMs }),
      focalPoints: new FocalPointService(database.dataSource),
    };
    const unregisterGauges = registerRuntimeGauges(database.dataSource);
    const sweepUploads = setInterval(() => {
      services.resumableUploads.sweepExpired().catch((error) => log.error({ err: error }, "removing expired resumable uploads failed"));
    }, config.resumableUploads.sweepIntervalSeconds * 1000);
    sweepUploads.unref();
    if (options.workers > 0) {
      const processor = new DerivativeProcessor(database.dataSource, storage, { tools, timeoutMs: config.derivativeTimeoutMs, maxImagePixels: config.maxImagePixels }, log);
      const sender = new WebhookSender(database.dataSource, config.webhooks, log);
      const dispatcher = new WebhookDispatcher(database.dataSource, queue, events, log);
      workers = await startWorkers(
        {
          concurrency: options.workers,
          webhookConcurrency: config.webhooks.concurrency,
          reconcileIntervalSeconds: config.reconcileIntervalSeconds,
          purgeRetentionDays: config.purgeRetentionDays,
          activityRetentionDays: config.activityRetentionDays,
          storageReconcile: config.storageReconcile,
        },
        { db: database.dataSource, queue, processor, sender, dispatcher, purge: services.purge, storageReconcile: services.storageReconcile, log },
      );
    }
    log.info({ database: database.kind, storage: config.s3 ? `s3://${config.s3.bucket}/${config.s3.prefix}` : config.storageDir, ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe, scanner: scanner.name, workers: options.workers }, "runtime ready");
    const startedQueue = queue;
    const startedStorage = storage;
    const startedLocks = uploadLocks;
    const startedEvents = events;
    return {
      services,
      database,
      queue: startedQueue,
      workers,
      authSecret,
      async close() {
        clearInterval(sweepUploads);
        unregisterGauges();
        await workers?.stop();
        await startedEvents.close();
        await startedQueue.stop();
        await startedLocks.close();
        await database.close();
        await startedStorage.close();
      },
    };
  } catch (error) {
    await workers?.stop().catch(() => undefined);
    await events?.close();
    await queue?.stop().catch(() => undefined);
    await uploadLocks?.close();
    await database.close();
    await storage?.close();
    throw error;
  }
}
