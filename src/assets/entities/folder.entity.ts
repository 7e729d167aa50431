import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

@Entity({ name: "folders" })
export class Folder {
  @PrimaryGeneratedColumn("uuid", { name: "folder_id" })
  id: string;

  @Column("uuid", { name: "user_id" })
  userId: string;

  /** Null for a top-level folder: the root folder is implicit. */
  @Column("uuid", { name: "parent_folder_id", nullable: true })
  parentFolderId: string | null;

  @Column("varchar", { length: 255 })
  name: string;

  @Column("text", { nullable: true })
  description: string | null;

  @Column("varchar", { length: 32, nullable: true })
  color: string | null;

  /** Cached count of live assets directly in this folder, kept exact in each moving transaction. */
  @Column("integer", { name: "asset_count", default: 0 })
  assetCount: number;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ name: "updated_at", type: "timestamptz" })
  updatedAt: Date;
}
