import { Asset } from "./asset.entity";
import { AssetDerivative } from "./asset-derivative.entity";
import { AssetReference } from "./asset-reference.entity";
import { AssetVersion } from "./asset-version.entity";
import { Folder } from "./folder.entity";
import { AssetTag, Tag } from "./tag.entity";

export { Asset, AssetDerivative, AssetReference, AssetTag, AssetVersion, Folder, Tag };
export const ENTITIES = [Asset, AssetVersion, AssetDerivative, Folder, Tag, AssetTag, AssetReference];
