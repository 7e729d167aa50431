import { InitialSchema1764000000000 } from "./1764000000000-initial-schema";
import { Derivatives1764100000000 } from "./1764100000000-derivatives";

/** Every migration, oldest first. Listed explicitly so ts-node and compiled builds agree. */
export const MIGRATIONS = [InitialSchema1764000000000, Derivatives1764100000000];
