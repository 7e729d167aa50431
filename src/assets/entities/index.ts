import { Asset } from "./asset.entity";
import { AssetReference } from "./asset-reference.entity";
import { AssetVersion } from "./asset-version.entity";
import { Folder } from "./folder.entity";
import { AssetTag, Tag } from "./tag.entity";

export { Asset, AssetReference, AssetTag, AssetVersion, Folder, Tag };
export const ENTITIES = [Asset, AssetVersion, Folder, Tag, AssetTag, AssetReference];
