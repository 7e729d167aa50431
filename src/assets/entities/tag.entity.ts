import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "tags" })
export class Tag {
  @PrimaryGeneratedColumn("uuid", { name: "tag_id" })
  id: string;

  @Column("uuid", { name: "user_id" })
  userId: string;

  @Column("varchar", { length: 100 })
  name: string;

  @Column("varchar", { length: 32, nullable: true })
  color: string | null;

  /** Cached count of assets carrying the tag, kept exact in each tagging transaction. */
  @Column("integer", { name: "usage_count", default: 0 })
  usageCount: number;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}

@Entity({ name: "asset_tags" })
export class AssetTag {
  @PrimaryColumn("uuid", { name: "asset_id" })
  assetId: string;

  @PrimaryColumn("uuid", { name: "tag_id" })
  tagId: string;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}
