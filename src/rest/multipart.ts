import busboy from "busboy";
import type { Request } from "express";
import type { Readable } from "node:stream";
import { MAX_UPLOAD_BYTES } from "../assets/asset-types";
import { AppError, validationFailed } from "../errors";

export interface MultipartUpload {
  /** Text fields sent before the file part. */
  fields: Record<string, string>;
  filename: string | undefined;
  stream: Readable;
  /**
   * Settles when the whole request has been read: rejects when a part follows the file (text
   * fields must come first, as in the GraphQL multipart spec) or the client went away.
   */
  complete: Promise<void>;
}

/**
 * Reads a multipart/form-data upload up to its `file` part and hands that part over as a stream;
 * nothing of the file is buffered here.
 */
export function readMultipartUpload(req: Request): Promise<MultipartUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers and curl send file names as raw UTF-8.
        defParamCharset: "utf8",
        limits: { files: 1, fileSize: MAX_UPLOAD_BYTES + 1, fields: 20, fieldSize: 64 * 1024, parts: 25 },
      });
    } catch {
      reject(validationFailed({ body: "must be multipart/form-data with a `file` part" }));
      return;
    }
    const fields: Record<string, string> = {};
    let fileStream: Readable | undefined;
    let settleComplete: (error?: Error) => void = () => undefined;
    const complete = new Promise<void>((res, rej) => {
      settleComplete = (error) => (error ? rej(error) : res());
    });
    // Whoever awaits `complete` sees the error; an upload that failed earlier never awaits it.
    complete.catch(() => undefined);

    const fail = (error: Error) => {
      if (fileStream && !fileStream.readableEnded && !fileStream.destroyed) fileStream.destroy(error);
      settleComplete(error);
      reject(error);
    };

    parser.on("field", (name, value, info) => {
      if (fileStream) return fail(validationFailed({ [name]: "text fields must come before the file part" }));
      if (info.valueTruncated) return fail(validationFailed({ [name]: "too long" }));
      fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      if (name !== "file") {
        stream.resume();
        return fail(validationFailed({ [name]: "the only file part accepted is `file`" }));
      }
      fileStream = stream;
      // The consumer's pipeline sees errors while it runs; this keeps a late one from going uncaught.
      stream.on("error", () => undefined);
      stream.on("limit", () => stream.destroy(new AppError("FILE_TOO_LARGE", "The file is over the upload limit")));
      resolve({ fields, filename: info.filename, stream, complete });
    });
    parser.on("filesLimit", () => fail(validationFailed({ file: "send one file per upload" })));
    parser.on("fieldsLimit", () => fail(validationFailed({ body: "too many fields" })));
    parser.on("partsLimit", () => fail(validationFailed({ body: "too many parts" })));
    parser.on("error", (error: Error) =>
      fail(
        /unexpected end/i.test(error.message)
          ? new AppError("INCOMPLETE_UPLOAD", "The body ended before the upload was complete", { reason: "interrupted" })
          : validationFailed({ body: `malformed multipart/form-data (${error.message})` }),
      ),
    );
    parser.on("close", () => {
      if (!fileStream) return fail(validationFailed({ file: "a `file` part is required" }));
      settleComplete();
    });
    req.once("close", () => {
      if (!req.complete) fail(new AppError("INCOMPLETE_UPLOAD", "The client disconnected during the upload", { reason: "interrupted" }));
    });
    req.pipe(parser);
  });
}
