import { createHash } from "node:crypto";
import { validationFailed } from "../errors";
import { isAssetType } from "./asset-types";
import type { SearchInput } from "./search-input";
import { isUuid } from "./validation";

// Keyset cursors: the sort value and id of the last item, bound to the owner and to the query's
// filters, sort and order, so another user's cursor or one from a different query is refused.

/** What a cursor is bound to besides its user: the filters, sort and order (not the page size). */
export function filterFingerprint(input: SearchInput): string {
  const { cursor: _cursor, limit: _limit, ...filters } = input;
  return createHash("sha256").update(JSON.stringify(filters)).digest("base64url").slice(0, 16);
}

function ownerTag(userId: string): string {
  return createHash("sha256").update(userId).digest("base64url").slice(0, 12);
}

/** Encodes the cursors of one page: the owner is hashed once, not once per item. */
export function cursorEncoder(userId: string, fingerprint: string): (value: string, id: string) => string {
  const u = ownerTag(userId);
  return (value, id) => Buffer.from(JSON.stringify({ v: value, i: id, u, f: fingerprint })).toString("base64url");
}

/** A cursor from another user, or from a different query, is refused rather than misread. */
export function decodeSearchCursor(cursor: string, userId: string, fingerprint: string, input: SearchInput): { value: string; id: string } {
  try {
    const c = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { v?: unknown; i?: unknown; u?: unknown; f?: unknown };
    if (c.u !== ownerTag(userId) || c.f !== fingerprint || typeof c.v !== "string" || !isUuid(c.i)) throw new Error("foreign cursor");
    if (input.sort === "created_at" && Number.isNaN(Date.parse(c.v))) throw new Error("bad value");
    if (input.sort === "file_size" && !/^\d+$/.test(c.v)) throw new Error("bad value");
    if (input.sort === "asset_type" && !isAssetType(c.v)) throw new Error("bad value");
    return { value: c.v, id: c.i };
  } catch {
    throw validationFailed({ cursor: "is not a cursor from this search" });
  }
}
