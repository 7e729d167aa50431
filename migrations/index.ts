import { InitialSchema1764000000000 } from "./1764000000000-initial-schema";
import { Derivatives1764100000000 } from "./1764100000000-derivatives";
import { Search1764200000000 } from "./1764200000000-search";
import { SearchTypeIndex1764300000000 } from "./1764300000000-search-type-index";
import { StoragePathIndex1764400000000 } from "./1764400000000-storage-path-index";
import { NameCollation1764500000000 } from "./1764500000000-name-collation";
import { KeptCounts1764600000000 } from "./1764600000000-kept-counts";
import { ResumableUploads1764700000000 } from "./1764700000000-resumable-uploads";
import { ActivityAndWebhooks1764800000000 } from "./1764800000000-activity-and-webhooks";
import { VisualSummary1764900000000 } from "./1764900000000-visual-summary";
import { Renders1765000000000 } from "./1765000000000-renders";
import { FolderCreatedIndex1765100000000 } from "./1765100000000-folder-created-index";
import { TagCreatedIndex1765200000000 } from "./1765200000000-tag-created-index";

/** Every migration, oldest first. Listed explicitly so ts-node and compiled builds agree. */
export const MIGRATIONS = [InitialSchema1764000000000, Derivatives1764100000000, Search1764200000000, SearchTypeIndex1764300000000, StoragePathIndex1764400000000, NameCollation1764500000000, KeptCounts1764600000000, ResumableUploads1764700000000, ActivityAndWebhooks1764800000000, VisualSummary1764900000000, Renders1765000000000, FolderCreatedIndex1765100000000, TagCreatedIndex1765200000000];
