import type { DataSource } from "typeorm";
import { notFound, validationFailed } from "../errors";
import type { StoredFile } from "./stored-files";
import { Asset, AssetDerivative, AssetVersion } from "./entities";
import type { DerivativeKind } from "./entities/asset-derivative.entity";
import { VARIANTS, type UrlSigner, type Variant } from "./signed-urls";
import type { AssetUrlBuilder, UrlLifetimes } from "./urls";
import { findOwnedAsset } from "./asset.repository";
import { derivativeFile, originalFile } from "./stored-files";

export interface SignedUrl {
  url: string;
  expiresAt: Date;
}

/** Signed URLs for an owner's files, and the files those URLs open for anyone holding them. */
export class FileAccessService {
  constructor(
    private readonly db: DataSource,
    private readonly signer: UrlSigner,
    private readonly urls: AssetUrlBuilder,
    private readonly lifetimes: UrlLifetimes,
  ) {}

  async createSignedUrl(userId: string, assetId: string, options: { variant?: string; versionNumber?: number; expiresIn?: number }): Promise<SignedUrl> {
    const variant = (options.variant ?? "original") as Variant;
    if (!(VARIANTS as readonly string[]).includes(variant)) throw validationFailed({ variant: `must be one of ${VARIANTS.join(", ")}` });
    const asset = await this.ownedAsset(userId, assetId);
    const versionNumber = options.versionNumber ?? asset.currentVersion;
    await this.fileFor(asset, versionNumber, variant);
    const seconds = this.signer.lifetime(options.expiresIn, variant === "original" ? this.lifetimes.download : this.lifetimes.thumbnail);
    return this.sign(asset, variant, seconds, versionNumber);
  }

  /** Fresh URLs for the current version: a short-lived download, long-lived thumbnail and preview. */
  async urlsFor(userId: string, assetId: string, expiresIn?: number) {
    const asset = await this.ownedAsset(userId, assetId);
    const kinds = await this.db.getRepository(AssetDerivative).find({ where: { assetId: asset.id, versionNumber: asset.currentVersion }, select: { kind: true } });
    const has = (kind: DerivativeKind) => kinds.some((k) => k.kind === kind);
    const long = this.signer.lifetime(expiresIn, this.lifetimes.thumbnail);
    return {
      permanent: this.urls.permanentUrl(asset.id),
      download: this.sign(asset, "original", this.signer.lifetime(expiresIn, this.lifetimes.download)),
      thumbnail: has("thumbnail") ? this.sign(asset, "thumbnail", long) : null,
      preview: has("preview") ? this.sign(asset, "preview", long) : null,
    };
  }

  /** The file behind a presented signed URL (INVALID_SIGNATURE, URL_EXPIRED, or NOT_FOUND once gone). */
  async openSigned(fields: Parameters<UrlSigner["verify"]>[0]): Promise<{ file: StoredFile; expires: number }> {
    const target = this.signer.verify(fields);
    const asset = await this.db.getRepository(Asset).findOne({ where: { id: target.assetId, userId: target.userId } });
    if (!asset || asset.status === "deleted") throw notFound("File");
    return { file: await this.fileFor(asset, target.versionNumber, target.variant), expires: target.expires };
  }

  private sign(asset: Asset, variant: Variant, seconds: number, versionNumber = asset.currentVersion): SignedUrl {
    const expires = Math.floor(Date.now() / 1000) + seconds;
    return { url: this.urls.signedUrl(asset, variant, expires, versionNumber), expiresAt: new Date(expires * 1000) };
  }

  /** URLs are issued for live assets only. */
  private async ownedAsset(userId: string, assetId: string): Promise<Asset> {
    const asset = await findOwnedAsset(this.db.manager, userId, assetId);
    if (asset.status === "deleted") throw notFound("Asset");
    return asset;
  }

  private async fileFor(asset: Asset, versionNumber: number, variant: Variant): Promise<StoredFile> {
    if (variant === "original") {
      const version = await this.db.getRepository(AssetVersion).findOne({ where: { assetId: asset.id, versionNumber } });
      if (!version) throw notFound("Version");
      return originalFile(version);
    }
    const derivative = await this.db.getRepository(AssetDerivative).findOne({ where: { assetId: asset.id, versionNumber, kind: variant } });
    if (!derivative) throw notFound("Derivative");
    return derivativeFile(asset, derivative);
  }
}
