import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import type { DataSource } from "typeorm";
import { AppError, notFound } from "../../errors";
import { renderRequestsTotal } from "../../metrics";
import { findOwnedAsset } from "../asset.repository";
import { Asset, AssetVersion } from "../entities";
import type { FocalPoint } from "../entities/asset.entity";
import { pictureSize, renderPicture } from "../media/render";
import type { PresentedFields, UrlSigner } from "../signed-urls";
import { assetFileKey } from "../storage/paths";
import type { StorageDriver } from "../storage/storage-driver";
import { renderFile, type StoredFile } from "../stored-files";
import type { AssetUrlBuilder } from "../urls";
import { canonicalRender, parseRenderRequest, RENDER_FILES, renderQuery, type RawRender, type RenderLimits, type RenderRequest } from "./render-params";
import { planRender } from "./render-plan";
import { findRender, insertRender, type StoredRender } from "./render.repository";
import { RenderSlots, SingleFlight } from "./render-slots";
import { withRenderSource, type RenderableVersion, type SourceTools } from "./render-source";

export interface RenderOptions extends RenderLimits, SourceTools {
  concurrency: number;
  queue: number;
}

/** A render to send, and whether its URL names one version (so caches may keep it for good). */
export interface RenderedFile {
  file: StoredFile;
  pinned: boolean;
}

/**
 * On-the-fly transforms of a version's picture, cached in storage. An entry is keyed by the
 * source's checksum, the request's normal form and (for cover crops) the focal point, so a new
 * version or focal point is a new entry and an entry never changes. Concurrent identical requests
 * share one render (single flight); renders of this process are bounded (RenderSlots).
 */
export class RenderService {
  private readonly slots: RenderSlots;
  private readonly flights = new SingleFlight<StoredRender>();

  constructor(
    private readonly db: DataSource,
    private readonly storage: StorageDriver,
    private readonly signer: UrlSigner,
    private readonly urls: AssetUrlBuilder,
    private readonly options: RenderOptions,
  ) {
    this.slots = new RenderSlots(options.concurrency, options.queue);
  }

  /** The caller's render of an asset: its current version, or the one `version` names. */
  async render(userId: string, assetId: string, raw: RawRender, versionNumber?: number): Promise<RenderedFile> {
    const request = parseRenderRequest(raw, this.options);
    const asset = await findOwnedAsset(this.db.manager, userId, assetId);
    if (asset.status === "deleted") throw notFound("Asset");
    return { file: await this.produce(asset, versionNumber ?? asset.currentVersion, request), pinned: versionNumber !== undefined };
  }

  /** The render a signed URL names (INVALID_SIGNATURE when any parameter was changed). */
  async renderSigned(fields: PresentedFields, raw: RawRender): Promise<{ file: StoredFile; expires: number }> {
    const request = parseRenderRequest(raw, this.options);
    const target = this.signer.verifyRender(fields, canonicalRender(request));
    const asset = await this.db.getRepository(Asset).findOne({ where: { id: target.assetId, userId: target.userId } });
    if (!asset || asset.status === "deleted") throw notFound("File");
    return { file: await this.produce(asset, target.versionNumber, request), expires: target.expires };
  }

  /** A signed URL of a render of the current version, for `<img src>`; checked as a request is. */
  signedRenderUrl(asset: Pick<Asset, "id" | "userId" | "currentVersion">, raw: RawRender, expiresIn?: number): { url: string; expiresAt: Date } {
    const request = parseRenderRequest(raw, this.options);
    return this.urls.signedRenderUrl(asset, { canonical: canonicalRender(request), query: renderQuery(request) }, expiresIn);
  }

  /** A `srcset` of signed renders, one per width (`url 320w, url 640w`). */
  srcset(asset: Pick<Asset, "id" | "userId" | "currentVersion">, widths: number[], raw: Omit<RawRender, "w">): string {
    return widths.map((w) => `${this.signedRenderUrl(asset, { ...raw, w: String(w) }).url} ${w}w`).join(", ");
  }

  private async produce(asset: Asset, versionNumber: number, request: RenderRequest): Promise<StoredFile> {
    if (asset.status !== "ready") throw new AppError("CONFLICT", `The asset is ${asset.status}; it can be rendered once it is ready`, { status: asset.status });
    const version = await this.versionOf(asset, versionNumber);
    const focal = request.fit === "cover" ? asset.focalPoint : null;
    const renderKey = createHash("sha256")
      .update(`${version.checksum}|${canonicalRender(request)}|${focal ? `${focal.x},${focal.y}` : ""}`)
      .digest("hex")
      .slice(0, 24);
    const cached = await findRender(this.db.manager, asset.id, renderKey);
    if (cached) {
      renderRequestsTotal.inc({ outcome: "cached" });
      return renderFile(asset, cached);
    }
    let joined = true;
    const render = await this.flights.run(`${asset.id}/${renderKey}`, () => {
      joined = false;
      return this.slots.run(() => this.make(asset, version, request, focal, renderKey));
    });
    renderRequestsTotal.inc({ outcome: joined ? "joined" : "rendered" });
    return renderFile(asset, render);
  }

  /** Renders into staging, stores the file, then records it; nothing is left behind on failure. */
  private async make(asset: Asset, version: RenderableVersion & { versionNumber: number }, request: RenderRequest, focal: FocalPoint | null, renderKey: string): Promise<StoredRender> {
    const staged = this.storage.stagingPath();
    const key = assetFileKey({
      userId: asset.userId,
      assetType: asset.assetType,
      assetId: asset.id,
      createdAt: asset.createdAt,
      extension: RENDER_FILES[request.format].extension,
      versionNumber: version.versionNumber,
      variant: `render-${renderKey}`,
    });
    try {
      const output = await withRenderSource(this.storage, version, this.options, async (source) => {
        const plan = planRender(request, await pictureSize(source), source.vector, this.options, focal);
        return renderPicture(source, plan, staged);
      });
      const render: StoredRender = { renderKey, versionNumber: version.versionNumber, storagePath: key, mimeType: RENDER_FILES[request.format].mimeType, fileSize: output.size, width: output.width, height: output.height };
      await this.storage.commit(staged, key);
      if (!(await insertRender(this.db.manager, asset.id, render))) {
        await this.storage.delete(key);
        throw notFound("Asset");
      }
      return render;
    } finally {
      await fs.rm(staged, { force: true });
    }
  }

  private async versionOf(asset: Asset, versionNumber: number): Promise<RenderableVersion & { versionNumber: number; checksum: string }> {
    if (versionNumber === asset.currentVersion) return { ...asset, versionNumber };
    const version = await this.db.getRepository(AssetVersion).findOne({ where: { assetId: asset.id, versionNumber } });
    if (!version) throw notFound("Version");
    return { assetType: asset.assetType, storagePath: version.storagePath, fileExtension: version.fileExtension, metadata: version.metadata, checksum: version.checksum, versionNumber };
  }
}
