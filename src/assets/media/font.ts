import path from "node:path";
import { Worker } from "node:worker_threads";
import { AppError } from "../../errors";

export interface FontFacts {
  family: string;
  subfamily: string;
  glyphCount: number;
  outlineFormat: "TrueType" | "CFF" | "unknown";
  variable: boolean;
}

export interface FontMetadata {
  family: string;
  subfamily: string;
  format: "ttf" | "otf" | "woff";
  glyph_count: number;
  outline_format: string;
  variable: boolean;
}

const WORKER_FILE = path.join(__dirname, `font-parser.worker${path.extname(__filename)}`);
/** Under ts-node the worker is TypeScript too and needs the same loader. */
const WORKER_EXEC_ARGV = path.extname(__filename) === ".ts" ? ["--require", "ts-node/register/transpile-only"] : [];

/** Parses an uploaded font in a worker thread with a time and memory limit. */
export async function inspectFont(file: string, format: FontMetadata["format"], timeoutMs: number): Promise<FontMetadata> {
  let facts: FontFacts;
  try {
    facts = await runFontWorker<FontFacts>(file, "facts", timeoutMs);
  } catch (error) {
    throw new AppError("INCOMPLETE_UPLOAD", `The font is truncated or corrupt (${(error as Error).message})`, { reason: "corrupt" });
  }
  return {
    family: facts.family,
    subfamily: facts.subfamily,
    format,
    glyph_count: facts.glyphCount,
    outline_format: facts.outlineFormat,
    variable: facts.variable,
  };
}

/** An SVG specimen drawn from the font's own glyphs (see font-specimen.ts). */
export function fontSpecimenSvg(file: string, timeoutMs: number): Promise<string> {
  return runFontWorker<string>(file, "specimen", timeoutMs);
}

function runFontWorker<T>(file: string, task: "facts" | "specimen", timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_FILE, {
      workerData: { file, task },
      execArgv: WORKER_EXEC_ARGV,
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    let settled = false;
    const settle = (outcome: { ok: true; result: T } | { ok: false; message: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      if (outcome.ok) resolve(outcome.result);
      else reject(new Error(outcome.message));
    };
    const timer = setTimeout(() => settle({ ok: false, message: `font parsing took over ${timeoutMs} ms` }), timeoutMs);
    worker.once("message", settle);
    worker.once("error", (error) => settle({ ok: false, message: error.message }));
    worker.once("exit", (code) => settle({ ok: false, message: `font parser exited with code ${code}` }));
  });
}
