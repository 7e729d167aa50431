/** A flag from a query string, already checked against its schema: "true", "1" or bare means set. */
export function isSet(value: "true" | "false" | "1" | "0" | "" | undefined): boolean {
  return value === "true" || value === "1" || value === "";
}
