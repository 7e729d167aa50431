import { randomBytes } from "node:crypto";
import http from "node:http";
import { testService } from "./setup";

/**
 * A multipart upload written by hand over a raw socket, chunked with no Content-Length, so a test
 * controls exactly how many bytes go out and when.
 */
export interface RawUploadOptions {
  kind: "rest" | "graphql";
  token: string;
  filename: string;
  /** The bytes the file part starts with; random filler follows. */
  head: Buffer;
  /** Total bytes of the file part the client is willing to send. */
  fileBytes: number;
  /** Stop sending and drop the connection after this many file bytes. */
  abortAfter?: number;
  /**
   * Stop sending after this many file bytes and wait for the answer without ending the request:
   * only a server that answers before the whole body has arrived can answer at all.
   */
  stallAfter?: number;
  /** Awaited before the abort (for example: until the server has staged something). */
  beforeAbort?: () => Promise<void>;
}

export interface RawUploadResult {
  status: number | undefined;
  body: any;
  /** File bytes written when the answer arrived (or when the client gave up). */
  fileBytesSent: number;
  serverClosed: boolean;
}

const BOUNDARY = "----asset-library-test-boundary";
const CHUNK = 64 * 1024;

export function rawUpload(options: RawUploadOptions): Promise<RawUploadResult> {
  const url = new URL(options.kind === "rest" ? "/v1/assets/upload" : "/graphql", testService().baseUrl);
  const preamble = options.kind === "rest" ? restPreamble(options.filename) : graphqlPreamble(options.filename);

  return new Promise((resolve) => {
    let sent = 0;
    let answered = false;
    let responseBody = "";
    let status: number | undefined;
    let serverClosed = false;
    const req = http.request(url, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${options.token}`,
        "Content-Type": `multipart/form-data; boundary=${BOUNDARY}`,
        "Apollo-Require-Preflight": "true",
      },
    });
    const finish = () => {
      let body: any = responseBody;
      try {
        body = JSON.parse(responseBody);
      } catch {
        // not JSON: keep the text
      }
      resolve({ status, body, fileBytesSent: sent, serverClosed });
    };
    req.on("response", (res) => {
      answered = true;
      status = res.statusCode;
      res.setEncoding("utf8");
      res.on("data", (d: string) => (responseBody += d));
      res.on("end", () => {
        serverClosed = res.headers.connection === "close";
        req.destroy();
        finish();
      });
    });
    req.on("error", () => {
      serverClosed = true;
      if (!answered) finish();
    });

    const write = (data: Buffer) => new Promise<void>((done) => req.write(data, () => done()));
    (async () => {
      await write(Buffer.from(preamble));
      while (!answered && !req.destroyed && sent < options.fileBytes) {
        if (options.abortAfter !== undefined && sent >= options.abortAfter) {
          await options.beforeAbort?.();
          req.destroy();
          finish();
          return;
        }
        if (options.stallAfter !== undefined && sent >= options.stallAfter) {
          const timer = setTimeout(() => req.destroy(), 30_000);
          req.once("close", () => clearTimeout(timer));
          return;
        }
        const chunk = sent === 0 ? options.head : randomBytes(Math.min(CHUNK, options.fileBytes - sent));
        await write(chunk);
        sent += chunk.length;
      }
      if (!answered && !req.destroyed) req.end(`\r\n--${BOUNDARY}--\r\n`);
    })().catch(() => undefined);
  });
}

function restPreamble(filename: string): string {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
}

function graphqlPreamble(filename: string): string {
  const operations = JSON.stringify({
    query: "mutation($file: Upload!) { uploadAsset(file: $file) { id } }",
    variables: { file: null },
  });
  return (
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n` +
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`
  );
}
