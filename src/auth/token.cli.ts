import { randomUUID } from "node:crypto";
import { loadProcessConfig } from "../config";
import { resolveAuthSecret } from "./secret";
import { signToken } from "./tokens";

/** `npm run token -- <uuid>`: prints a bearer token for that user (a new user id when omitted). */
async function main(): Promise<void> {
  const userId = process.argv[2] ?? randomUUID();
  const secret = await resolveAuthSecret(loadProcessConfig(), { create: false });
  process.stdout.write(`${await signToken(secret, userId)}\n`);
  if (!process.argv[2]) process.stderr.write(`(user ${userId})\n`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
