import { validationFailed } from "../errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** A display name: trimmed, 1-255 characters, no control characters. */
export function cleanName(field: string, value: string, maxLength = 255): string {
  const name = value.trim().normalize("NFC");
  if (name === "") throw validationFailed({ [field]: "must not be empty" });
  if (name.length > maxLength) throw validationFailed({ [field]: `must be at most ${maxLength} characters` });
  if (/[\u0000-\u001f\u007f]/.test(name)) throw validationFailed({ [field]: "must not contain control characters" });
  return name;
}

export function cleanDescription(value: string | null | undefined): string | null {
  if (value == null) return null;
  const text = value.trim();
  if (text.length > 10_000) throw validationFailed({ description: "must be at most 10000 characters" });
  if (/\u0000/.test(text)) throw validationFailed({ description: "must not contain NUL" });
  return text === "" ? null : text;
}

/** A folder id from a client: null/undefined mean the root; anything else must look like a UUID. */
export function optionalUuid(field: string, value: string | null | undefined): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (!isUuid(value)) throw validationFailed({ [field]: "must be a UUID" });
  return value.toLowerCase();
}

/** A UI colour hint: #rgb or #rrggbb. */
export function cleanColor(value: string | null | undefined): string | null {
  if (value == null || value.trim() === "") return null;
  const color = value.trim().toLowerCase();
  if (!/^#([0-9a-f]{3}|[0-9a-f]{6})$/.test(color)) throw validationFailed({ color: "must be a hex colour like #3b82f6" });
  return color;
}
