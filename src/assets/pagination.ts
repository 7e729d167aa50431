import { createHash } from "node:crypto";
import { validationFailed } from "../errors";
import { isUuid } from "./validation";

export interface Page<T> {
  items: T[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface CursorPosition {
  createdAt: string;
  id: string;
}

/**
 * Opaque keyset cursors. A cursor carries a short digest of its owner's id, so one user's cursor
 * is refused for another user instead of leaking a position in a library they cannot see.
 */
export function encodeCursor(position: CursorPosition, userId: string): string {
  return Buffer.from(JSON.stringify({ ...position, u: ownerTag(userId) })).toString("base64url");
}

export function decodeCursor(cursor: string, userId: string): CursorPosition {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as CursorPosition & { u?: string };
    if (value.u !== ownerTag(userId) || !isUuid(value.id) || Number.isNaN(Date.parse(value.createdAt))) {
      throw new Error("foreign or malformed cursor");
    }
    return { createdAt: value.createdAt, id: value.id };
  } catch {
    throw validationFailed({ cursor: "is not a cursor from this listing" });
  }
}

function ownerTag(userId: string): string {
  return createHash("sha256").update(userId).digest("base64url").slice(0, 12);
}
