import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { Config } from "../config";

/**
 * AUTH_SECRET, or the secret generated on first start and kept in the data directory. Only the
 * server creates one (`create`); a tool that signs tokens must use the server's, or its tokens
 * would be refused, so without one it fails and says where it looked.
 */
export async function resolveAuthSecret(config: Pick<Config, "authSecret" | "dataDir">, options: { create: boolean } = { create: true }): Promise<string> {
  if (config.authSecret) return config.authSecret;
  const file = path.join(config.dataDir, "auth-secret");
  try {
    return (await fs.readFile(file, "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  if (!options.create) {
    throw new Error(
      `No auth secret in ${file}: start the server once with this DATA_DIR (it creates one), or set DATA_DIR or AUTH_SECRET to the server's.`,
    );
  }
  await fs.mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    await fs.writeFile(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return (await fs.readFile(file, "utf8")).trim();
    throw error;
  }
}
