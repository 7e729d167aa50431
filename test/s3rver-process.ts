import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** An S3-compatible endpoint for tests: s3rver in its own process, over a temporary directory. */
export interface S3Endpoint {
  endpoint: string;
  bucket: string;
  /** What the service needs in its environment to store there. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const SCRIPT = `
const S3rver = require("s3rver");
const [directory, bucket] = process.argv.slice(1);
new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] })
  .run()
  .then((address) => console.log(JSON.stringify({ port: address.port })));
`;

export async function startS3rver(bucket = "asset-library-test"): Promise<S3Endpoint> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), "s3rver-"));
  // s3rver encrypts its list continuation tokens with DES, which OpenSSL 3 keeps in its legacy
  // provider: without it any listing of more than 1,000 keys fails.
  const child: ChildProcess = spawn(process.execPath, ["--openssl-legacy-provider", "-e", SCRIPT, directory, bucket], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once("data", (data) => resolve(JSON.parse(String(data)).port));
    child.once("exit", (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver takes any credentials; this process talks to it too, through the SDK's default chain.
  process.env.AWS_ACCESS_KEY_ID ??= "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY ??= "S3RVER";
  return {
    endpoint,
    bucket,
    env: {
      STORAGE_DRIVER: "s3",
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_REGION: "us-east-1",
      S3_FORCE_PATH_STYLE: "true",
      // s3rver accepts any credentials; the SDK's default chain reads these.
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill();
        await new Promise((resolve) => child.once("exit", resolve));
      }
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}
