import { expect } from "chai";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { signToken } from "../src/auth/tokens";
import { checkRestAnswer } from "./rest-client";
import { TEST_AUTH_SECRET, testService } from "./setup";

export const FIXTURES = path.resolve(__dirname, "fixtures");

export interface TestUser {
  userId: string;
  token: string;
  auth: { Authorization: string };
}

export async function newUser(): Promise<TestUser> {
  const userId = randomUUID();
  const token = await signToken(TEST_AUTH_SECRET, userId);
  return { userId, token, auth: { Authorization: `Bearer ${token}` } };
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function api<T = any>(user: TestUser | undefined, method: string, url: string, body?: unknown): Promise<JsonResponse<T>> {
  const response = await fetch(`${testService().baseUrl}${url}`, {
    method,
    headers: {
      ...(user ? user.auth : {}),
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  await checkRestAnswer(method, `${testService().baseUrl}${url}`, response);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/** REST upload of a file on disk (streamed from disk by the Blob) or of bytes in memory. */
export async function uploadRest(
  user: TestUser,
  file: string | { bytes: Buffer; filename: string },
  fields: Record<string, string> = {},
): Promise<JsonResponse> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  if (typeof file === "string") form.append("file", await fs.openAsBlob(file), path.basename(file));
  else form.append("file", new Blob([new Uint8Array(file.bytes)]), file.filename);
  const response = await fetch(`${testService().baseUrl}/v1/assets/upload`, { method: "POST", headers: user.auth, body: form });
  await checkRestAnswer("POST", response.url, response);
  return { status: response.status, headers: response.headers, body: await response.json() };
}

export async function gql<T = any>(user: TestUser | undefined, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${testService().baseUrl}/graphql`, {
    method: "POST",
    headers: { ...(user ? user.auth : {}), "Content-Type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: T; errors?: Array<{ message: string; extensions: Record<string, any> }> } };
}

export const ASSET_FIELDS = `id name description assetType mimeType fileExtension fileSize originalFilename checksum status
  metadata currentVersion versionsCount referencesCount createdAt updatedAt folder { id name } tags { id name } urls { permanent download }`;

/** A GraphQL multipart upload (the GraphQL multipart request spec) of a file on disk. */
export async function uploadGraphQL(
  user: TestUser,
  file: string | { bytes: Buffer; filename: string },
  input: Record<string, unknown> = {},
  query = `mutation Upload($file: Upload!, $input: UploadAssetInput) { uploadAsset(file: $file, input: $input) { ${ASSET_FIELDS} } }`,
) {
  const form = new FormData();
  form.append(
    "operations",
    JSON.stringify({
      query,
      variables: { file: null, input },
    }),
  );
  form.append("map", JSON.stringify({ 0: ["variables.file"] }));
  if (typeof file === "string") form.append("0", await fs.openAsBlob(file), path.basename(file));
  else form.append("0", new Blob([new Uint8Array(file.bytes)]), file.filename);
  const response = await fetch(`${testService().baseUrl}/graphql`, {
    method: "POST",
    headers: { ...user.auth, "Apollo-Require-Preflight": "true" },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions: Record<string, any> }> } };
}

/** Every file under a directory, relative paths; [] when it does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

/** Stored files (through the storage driver: the local disk or S3) whose keys start with `prefix`, relative to it. */
export async function storedFiles(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const file of testService().runtime.services.storage.list()) {
    if (file.key.startsWith(prefix)) keys.push(file.key.slice(prefix.length));
  }
  return keys.sort();
}

export function userFiles(userId: string): Promise<string[]> {
  return storedFiles(`assets/${userId}/`);
}

/** A local copy of a stored file (for tools that need a path), kept until the run ends. */
export async function storedCopy(key: string): Promise<string> {
  const copy = path.join(path.dirname(testService().storageDir), "copies", randomUUID(), path.basename(key));
  await fsp.mkdir(path.dirname(copy), { recursive: true });
  await fsp.writeFile(copy, await storedBytes(key));
  return copy;
}

/** A local copy of the stored file of one derivative, read through the storage driver. */
export async function derivativeFile(assetId: string, kind: string): Promise<string> {
  const [row] = await testService().runtime.services.db.query(
    `SELECT d.storage_path FROM asset_derivatives d JOIN assets a USING (asset_id) WHERE d.asset_id = $1 AND d.kind = $2 AND d.version_number = a.current_version`,
    [assetId, kind],
  );
  expect(row, `${kind} of ${assetId}`).to.not.equal(undefined);
  return storedCopy(row.storage_path);
}

/** A stored file's bytes, read through the storage driver. */
export async function storedBytes(key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await testService().runtime.services.storage.read(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Upload staging files (derivative jobs stage their own, transiently, under `derive-*`). */
export async function stagedFiles(): Promise<string[]> {
  return (await filesUnder(testService().stagingDir)).filter((name) => path.basename(name).startsWith("upload-"));
}

/** Polls the asset until processing is over; returns it as REST shows it. */
export async function settled(user: TestUser, assetId: string, timeoutMs = 120_000): Promise<any> {
  let asset: any;
  await eventually(async () => {
    asset = (await api(user, "GET", `/v1/assets/${assetId}`)).body;
    if (asset.status === "processing") throw new Error(`asset ${assetId} is still processing`);
  }, timeoutMs);
  return asset;
}

/** Uploads over REST and waits for processing, which must end `ready`; returns the asset as REST shows it. */
export async function readyAsset(user: TestUser, file: string | { bytes: Buffer; filename: string }, fields: Record<string, string> = {}): Promise<any> {
  const upload = await uploadRest(user, file, fields);
  expect(upload.status, JSON.stringify(upload.body)).to.equal(201);
  const asset = await settled(user, upload.body.asset_id);
  expect(asset.status, asset.status_reason).to.equal("ready");
  return asset;
}

export async function assetRowCount(userId: string): Promise<number> {
  const [{ n }] = await testService().runtime.services.db.query(
    `SELECT (SELECT count(*) FROM assets WHERE user_id = $1) + (SELECT count(*) FROM asset_versions WHERE created_by = $1) AS n`,
    [userId],
  );
  return Number(n);
}

/** Polls until `check` passes or the deadline comes (for effects that land after a response). */
export async function eventually(check: () => Promise<unknown>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
