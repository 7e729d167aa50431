import dns from "node:dns";
import net from "node:net";
import { validationFailed } from "../../errors";

/** Addresses a webhook may not reach unless WEBHOOK_ALLOW_PRIVATE is set: this host, its networks, link-local, multicast, reserved. */
const PRIVATE = new net.BlockList();
for (const [address, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12],
  ["192.0.0.0", 24], ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24],
  ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) PRIVATE.addSubnet(address, prefix, "ipv4");
for (const [address, prefix] of [
  ["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["64:ff9b::", 96], ["100::", 64], ["2001:db8::", 32],
] as const) PRIVATE.addSubnet(address, prefix, "ipv6");

const MAX_URL_LENGTH = 2048;

/** Whether an IP address is one webhooks must not reach (IPv4-mapped IPv6 judged as the IPv4 it holds). */
export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1], "ipv4");
  const family = net.isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? "ipv4" : "ipv6");
}

/**
 * The checks a target URL gets when it is registered: http(s), no credentials, a host, and (unless
 * private targets are allowed) no literal private address or `localhost`. Names are resolved at
 * each delivery instead (a name may change what it points at), by `guardedLookup`.
 */
export function checkWebhookUrl(raw: unknown, allowPrivate: boolean): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_URL_LENGTH) throw validationFailed({ url: `must be an http(s) URL of at most ${MAX_URL_LENGTH} characters` });
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw validationFailed({ url: "must be an http(s) URL" });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw validationFailed({ url: "must be an http(s) URL" });
  if (url.username || url.password) throw validationFailed({ url: "must not carry credentials" });
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!allowPrivate && (host === "localhost" || host.endsWith(".localhost") || (net.isIP(host) !== 0 && isPrivateAddress(host)))) {
    throw validationFailed({ url: "must not point at a loopback, link-local or private address" });
  }
  return url.toString();
}

/**
 * A `lookup` for http.request that refuses names resolving to private addresses, so the check
 * holds for the address actually connected to (no DNS rebinding between check and connect).
 */
export function guardedLookup(allowPrivate: boolean): net.LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const list = addresses as dns.LookupAddress[];
      const refused = !allowPrivate && list.some((a) => isPrivateAddress(a.address));
      if (refused || list.length === 0) {
        const blocked = Object.assign(new Error(`${hostname} resolves to an address webhooks may not reach`), { code: "EWEBHOOKTARGET" });
        return callback(blocked, "", 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

/** Literal IP hosts never go through `lookup`: they are checked here before connecting. */
export function refusedLiteralHost(url: URL, allowPrivate: boolean): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return !allowPrivate && net.isIP(host) !== 0 && isPrivateAddress(host);
}
