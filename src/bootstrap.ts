import type { Logger } from "pino";
import { AssetService } from "./assets/asset.service";
import { resolveMediaTools } from "./assets/media/tool-paths";
import { LocalDiskStorage } from "./assets/storage/local-driver";
import { clamdScanner, eicarScanner } from "./assets/upload/malware-scanner";
import { UploadPipeline } from "./assets/upload/upload-pipeline";
import { resolveAuthSecret } from "./auth/secret";
import { createAuthenticator } from "./auth/tokens";
import type { Config } from "./config";
import { openDatabase, type Database } from "./db/database";
import type { Services } from "./services";

export interface Runtime {
  services: Services;
  database: Database;
  authSecret: string;
  close(): Promise<void>;
}

/** config -> database -> storage -> media tools -> services; the HTTP layer goes on top. */
export async function startRuntime(config: Config, log: Logger): Promise<Runtime> {
  const database = await openDatabase(config, log);
  try {
    const storage = new LocalDiskStorage(config.storageDir);
    await storage.init();
    const tools = resolveMediaTools(config);
    const scanner = config.clamd ? clamdScanner({ ...config.clamd, timeoutMs: config.mediaToolTimeoutMs }) : eicarScanner;
    const pipeline = new UploadPipeline({
      storage,
      scanner,
      tools,
      maxImagePixels: config.maxImagePixels,
      toolTimeoutMs: config.mediaToolTimeoutMs,
    });
    const authSecret = await resolveAuthSecret(config);
    const services: Services = {
      config,
      db: database.dataSource,
      storage,
      authenticator: createAuthenticator({ secret: authSecret, jwksUrl: config.authJwksUrl }),
      assets: new AssetService(database.dataSource, storage, pipeline),
    };
    log.info({ database: database.kind, storage: config.storageDir, ffmpeg: tools.ffmpeg, ffprobe: tools.ffprobe, scanner: scanner.name }, "runtime ready");
    return { services, database, authSecret, close: () => database.close() };
  } catch (error) {
    await database.close();
    throw error;
  }
}
