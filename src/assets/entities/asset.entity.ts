import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";
import type { AssetType } from "../asset-types";
import type { ColorFamily } from "../media/color-families";
import { bigintNumber } from "./transformers";

export const ASSET_STATUSES = ["processing", "ready", "failed", "deleted"] as const;
export type AssetStatus = (typeof ASSET_STATUSES)[number];

/** Type-specific metadata: a flat JSON object with the spec's snake_case names. */
export type AssetMetadata = Record<string, string | number | boolean | null>;

/** A point of the picture, as fractions of its width and height from the top left. */
export interface FocalPoint {
  x: number;
  y: number;
}

/** The visual summary as stored (snake_case JSON): see media/visual-summary.ts. */
export interface StoredVisual {
  thumbhash: string;
  dominant_color: string;
  palette: string[];
  color_family: ColorFamily;
}

@Entity({ name: "assets" })
export class Asset {
  @PrimaryGeneratedColumn("uuid", { name: "asset_id" })
  id: string;

  @Column("uuid", { name: "user_id" })
  userId: string;

  @Column("uuid", { name: "folder_id", nullable: true })
  folderId: string | null;

  @Column("varchar", { length: 255 })
  name: string;

  @Column("text", { nullable: true })
  description: string | null;

  @Column("enum", { name: "asset_type", enumName: "asset_type", enum: ["image", "audio", "video", "font", "logo"] })
  assetType: AssetType;

  @Column("varchar", { name: "mime_type", length: 100 })
  mimeType: string;

  @Column("varchar", { name: "file_extension", length: 10 })
  fileExtension: string;

  @Column("bigint", { name: "file_size", transformer: bigintNumber })
  fileSize: number;

  @Column("text", { name: "storage_path" })
  storagePath: string;

  @Column("varchar", { name: "original_filename", length: 255 })
  originalFilename: string;

  @Column("char", { length: 64 })
  checksum: string;

  @Column("enum", { enumName: "asset_status", enum: ASSET_STATUSES })
  status: AssetStatus;

  /** Why processing failed, for `failed` assets. */
  @Column("text", { name: "status_reason", nullable: true })
  statusReason: string | null;

  @Column("jsonb", { default: () => "'{}'::jsonb" })
  metadata: AssetMetadata;

  /** What its picture looks like (placeholder, colours), from the derivative job; null before it ran, or with no picture. */
  @Column("jsonb", { nullable: true })
  visual: StoredVisual | null;

  /** The picture's 64-bit perceptual hash as a signed BIGINT (pg hands it over as a decimal string). */
  @Column("bigint", { nullable: true })
  phash: string | null;

  /** Where `fit=cover` renders keep the picture's subject: 0..1 from the left and the top; null is the centre. */
  @Column("jsonb", { name: "focal_point", nullable: true })
  focalPoint: FocalPoint | null;

  /** The version_number of the version the asset's file fields mirror. */
  @Column("integer", { name: "current_version" })
  currentVersion: number;

  /** How many times a worker has started on this asset's current version. */
  @Column("integer", { name: "processing_attempts", default: 0 })
  processingAttempts: number;

  @Column("timestamptz", { name: "deleted_at", nullable: true })
  deletedAt: Date | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}
