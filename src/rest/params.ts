/** A flag from a query string, already checked against its schema: "true", "1" or bare means set. */
export function isSet(value: "true" | "false" | "1" | "0" | "" | undefined): boolean {
  return value === "true" || value === "1" || value === "";
}

/** What a signed URL presents (its path's asset and version, its query's owner, expiry and signature), for the signer to check. */
export function presentedSignature(params: { asset_id: string; version: string }, query: { user?: string; expires?: string; sig?: string }) {
  return { assetId: params.asset_id, version: params.version, user: query.user ?? "", expires: query.expires ?? "", sig: query.sig ?? "" };
}

/** A signed URL names one version's bytes until it expires: caches may keep the answer that long. */
export function untilExpiry(expires: number): { remaining: number; cacheControl: string } {
  const remaining = Math.max(0, expires - Math.floor(Date.now() / 1000));
  return { remaining, cacheControl: `private, max-age=${remaining}, immutable` };
}
