import { validationFailed } from "../errors";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/** Control characters, unassigned code points and lone surrogates: never part of a name. */
const NEVER_IN_NAMES = /[\p{Cc}\p{Cn}\p{Cs}]/u;
/** Bidi embeddings, overrides and isolates: they make text display as something it is not. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;
/** Any invisible format character (zero-width spaces and joiners, bidi marks, soft hyphens…). */
const FORMAT_CHARACTERS = /\p{Cf}/u;
/** The zero-width joiner inside an emoji sequence (👩‍💻) is how that emoji is written, not a disguise. */
const EMOJI_JOINER = /(?<=\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/gu;

/**
 * A display name (of an asset): NFC, trimmed, 1-255 characters, with no control, unassigned or
 * bidi-override characters. Other format characters stay: a right-to-left mark belongs in a
 * Hebrew or Arabic file name.
 */
export function cleanName(field: string, value: string, maxLength = 255): string {
  const name = value.normalize("NFC").trim();
  if (name === "") throw validationFailed({ [field]: "must not be empty" });
  if (name.length > maxLength) throw validationFailed({ [field]: `must be at most ${maxLength} characters` });
  if (NEVER_IN_NAMES.test(name)) throw validationFailed({ [field]: "must not contain control characters or unassigned code points" });
  if (BIDI_CONTROLS.test(name)) throw validationFailed({ [field]: "must not contain bidirectional override characters" });
  return name;
}

/**
 * A name that identifies (a tag, a folder): what `cleanName` refuses, and every invisible format
 * character too, so two names that look the same are the same name.
 */
export function cleanIdentifyingName(field: string, value: string, maxLength = 255): string {
  const name = cleanName(field, value, maxLength);
  if (FORMAT_CHARACTERS.test(name.replace(EMOJI_JOINER, ""))) {
    throw validationFailed({ [field]: "must not contain invisible format characters (zero-width, bidi marks)" });
  }
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
