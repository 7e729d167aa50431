import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { AssetMetadata, StoredVisual } from "./asset.entity";
import { bigintNumber } from "./transformers";

@Entity({ name: "asset_versions" })
export class AssetVersion {
  @PrimaryGeneratedColumn("uuid", { name: "version_id" })
  id: string;

  @Column("uuid", { name: "asset_id" })
  assetId: string;

  @Column("integer", { name: "version_number" })
  versionNumber: number;

  @Column("text", { name: "storage_path" })
  storagePath: string;

  @Column("bigint", { name: "file_size", transformer: bigintNumber })
  fileSize: number;

  @Column("char", { length: 64 })
  checksum: string;

  @Column("varchar", { name: "mime_type", length: 100 })
  mimeType: string;

  @Column("varchar", { name: "file_extension", length: 10 })
  fileExtension: string;

  @Column("varchar", { name: "original_filename", length: 255 })
  originalFilename: string;

  @Column("jsonb", { default: () => "'{}'::jsonb" })
  metadata: AssetMetadata;

  /** What its picture looks like (placeholder, colours), from the derivative job; null before it ran, or with no picture. */
  @Column("jsonb", { nullable: true })
  visual: StoredVisual | null;

  /** The picture's 64-bit perceptual hash as a signed BIGINT (pg hands it over as a decimal string). */
  @Column("bigint", { nullable: true })
  phash: string | null;

  @Column("text", { name: "change_description", nullable: true })
  changeDescription: string | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @Column("uuid", { name: "created_by" })
  createdBy: string;
}
