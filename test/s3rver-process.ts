import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** An S3-compatible endpoint for tests: s3rver in its own process, over a temporary directory. */
export interface S3Endpoint {
  endpoint: string;
  bucket: string;
  /** The s3rver process (benches read its CPU time). */
  pid: number;
  /** What the service needs in its environment to store there. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * s3rver 3.7 implements multipart uploads except ListParts and AbortMultipartUpload, which
 * @tus/s3-store needs (a resumed upload's offset is the sum of its parts). The script adds both
 * over s3rver's own upload directory (`<bucket>/._S3rver_uploads/<uploadId>/<partNumber>` with
 * its `.md5`), ahead of s3rver's router; everything else is s3rver's.
 */
const SCRIPT = `
const S3rver = require("s3rver");
const fs = require("node:fs/promises");
const path = require("node:path");
const [directory, bucket] = process.argv.slice(1);
const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
async function multipartExtras(ctx, next) {
  const match = /^\\/([^/]+)\\/(.+)$/.exec(ctx.path);
  const uploadId = ctx.query.uploadId;
  if (!match || typeof uploadId !== "string" || !/^[0-9a-f]+$/.test(uploadId) || !["GET", "DELETE"].includes(ctx.method)) return next();
  const dir = path.join(directory, match[1], "._S3rver_uploads", uploadId);
  const exists = await fs.stat(dir).then(() => true, () => false);
  if (!exists) {
    ctx.status = 404;
    ctx.body = { Error: { Code: "NoSuchUpload", Message: "The specified upload does not exist" } };
    return;
  }
  if (ctx.method === "DELETE") {
    await fs.rm(dir, { recursive: true, force: true });
    ctx.status = 204;
    return;
  }
  const numbers = (await fs.readdir(dir)).filter((n) => /^[0-9]+$/.test(n)).map(Number).sort((a, b) => a - b);
  const parts = [];
  for (const n of numbers) {
    const stats = await fs.stat(path.join(dir, String(n)));
    const md5 = await fs.readFile(path.join(dir, n + ".md5"), "utf8").catch(() => "");
    parts.push({ PartNumber: n, ETag: '"' + md5 + '"', Size: stats.size, LastModified: stats.mtime.toISOString() });
  }
  ctx.body = { ListPartsResult: { Bucket: match[1], Key: decodeURIComponent(match[2]), UploadId: uploadId, IsTruncated: false, Part: parts } };
}
server.middleware.splice(server.middleware.length - 1, 0, multipartExtras);
server.run().then((address) => console.log(JSON.stringify({ port: address.port })));
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
    pid: child.pid!,
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
