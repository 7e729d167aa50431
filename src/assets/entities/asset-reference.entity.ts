import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

export const RESOURCE_TYPES = ["project", "template", "batch"] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

@Entity({ name: "asset_references" })
export class AssetReference {
  @PrimaryGeneratedColumn("uuid", { name: "reference_id" })
  id: string;

  @Column("uuid", { name: "asset_id" })
  assetId: string;

  /** The owner of the referencing resource (always the asset's owner). */
  @Column("uuid", { name: "user_id" })
  userId: string;

  @Column("varchar", { name: "resource_type", length: 20 })
  resourceType: ResourceType;

  @Column("uuid", { name: "resource_id" })
  resourceId: string;

  @Column("varchar", { name: "usage_type", length: 40 })
  usageType: string;

  @CreateDateColumn({ name: "created_at", type: "timestamptz" })
  createdAt: Date;
}
