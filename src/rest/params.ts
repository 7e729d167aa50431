import { validationFailed } from "../errors";

/** Reading REST bodies and query strings: wrong shapes are VALIDATION_FAILED naming the field. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw validationFailed({ body: "must be a JSON object" });
  return body as Record<string, unknown>;
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw validationFailed({ [key]: "must be a string" });
  return value;
}

export function nullableString(body: Record<string, unknown>, key: string): string | null | undefined {
  return body[key] === null ? null : optionalString(body, key);
}

export function booleanParam(value: unknown, name: string): boolean {
  if (value === undefined || value === "false" || value === "0") return false;
  if (value === "true" || value === "1" || value === "") return true;
  throw validationFailed({ [name]: "must be true or false" });
}
