import fs from "node:fs/promises";
import sharp from "sharp";
import { AppError } from "../../errors";
import { checkSvgSafety } from "./svg-safety";

export interface SvgMetadata {
  format: "svg";
  /** Rendering size in CSS pixels at 72 dpi: width/height attributes, else the viewBox size. */
  width: number;
  height: number;
  has_transparency: true;
}

/** SVG text is small (logos are capped at 5 MB), so it is read whole to be checked as text. */
export async function inspectSvg(file: string, options: { timeoutMs: number }): Promise<SvgMetadata> {
  const text = stripBom(await fs.readFile(file, "utf8"));
  const verdict = checkSvgSafety(text);
  if (!verdict.safe) {
    throw new AppError("SECURITY_VIOLATION", `The SVG contains active or external content (${verdict.finding})`, {
      reason: "active_svg",
      finding: verdict.finding,
    });
  }
  try {
    const header = await sharp(file).metadata();
    if (!header.width || !header.height) throw new Error("no size");
    await sharp(file)
      .timeout({ seconds: Math.ceil(options.timeoutMs / 1000) })
      .resize(64, 64, { fit: "inside" })
      .raw()
      .toBuffer();
    return { format: "svg", width: header.width, height: header.height, has_transparency: true };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new AppError("INCOMPLETE_UPLOAD", `The SVG could not be rendered (${reason})`, { reason: "corrupt" });
  }
}

/**
 * True when the bytes start like an SVG document (after BOM, XML declaration, comments and a
 * DOCTYPE, internal subset included). A DOCTYPE naming svg is enough: an SVG with a DTD is still
 * an SVG, to be refused for what its DTD may do (SECURITY_VIOLATION), not for its type.
 */
export function looksLikeSvg(head: Buffer): boolean {
  let text = stripBom(head.toString("utf8"));
  for (;;) {
    text = text.trimStart();
    if (/^<!doctype\s+([\w.-]+:)?svg[\s>\[]/i.test(text)) return true;
    const skipped = /^(<\?xml[\s\S]*?\?>|<!--[\s\S]*?-->|<!doctype[^>\[]*(\[[\s\S]*?\]\s*)?>)/i.exec(text);
    if (!skipped) break;
    text = text.slice(skipped[0].length);
  }
  return /^<(svg|[a-z][\w.-]*:svg)[\s>/]/i.test(text);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
