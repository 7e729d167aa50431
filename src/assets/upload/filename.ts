import { validationFailed } from "../../errors";

export const MAX_FILENAME_BYTES = 255;

/**
 * An upload's file name is data: shown back to its owner and offered in Content-Disposition,
 * never part of a storage path. Control characters (NUL included) are refused, as is anything over
 * 255 bytes; directory parts some clients send are dropped.
 */
export function cleanFilename(raw: string | undefined): string {
  const name = (raw ?? "").split(/[\\/]/).pop()!.trim().normalize("NFC");
  if (name === "") throw validationFailed({ filename: "the file needs a name with an extension" });
  if (/[\u0000-\u001f\u007f]/.test(name)) throw validationFailed({ filename: "control characters are not allowed" });
  if (Buffer.byteLength(name) > MAX_FILENAME_BYTES) {
    throw validationFailed({ filename: `longer than ${MAX_FILENAME_BYTES} bytes` });
  }
  return name;
}
