import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";
import { bigintNumber } from "./transformers";

export const DERIVATIVE_KINDS = ["thumbnail", "preview", "waveform", "clip"] as const;
/**
 * thumbnail: 150x150 cover image; preview: image with its longest side at most 600 px;
 * waveform: an audio track's min/max peaks in BBC audiowaveform's JSON format; clip: short audio (MP3) or video (MP4) excerpt.
 */
export type DerivativeKind = (typeof DERIVATIVE_KINDS)[number];

@Entity({ name: "asset_derivatives" })
export class AssetDerivative {
  @PrimaryGeneratedColumn("uuid", { name: "derivative_id" })
  id: string;

  @Column("uuid", { name: "asset_id" })
  assetId: string;

  @Column("integer", { name: "version_number" })
  versionNumber: number;

  @Column("varchar", { length: 20 })
  kind: DerivativeKind;

  @Column("text", { name: "storage_path" })
  storagePath: string;

  @Column("varchar", { name: "mime_type", length: 100 })
  mimeType: string;

  @Column("bigint", { name: "file_size", transformer: bigintNumber })
  fileSize: number;

  @Column("integer", { nullable: true })
  width: number | null;

  @Column("integer", { nullable: true })
  height: number | null;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}
