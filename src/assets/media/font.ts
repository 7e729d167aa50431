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
  const result = await runWorker(file, timeoutMs);
  if (!result.ok) {
    throw new AppError("INCOMPLETE_UPLOAD", `The font is truncated or corrupt (${result.message})`, { reason: "corrupt" });
  }
  const facts = result.facts;
  return {
    family: facts.family,
    subfamily: facts.subfamily,
    format,
    glyph_count: facts.glyphCount,
    outline_format: facts.outlineFormat,
    variable: facts.variable,
  };
}

type WorkerResult = { ok: true; facts: FontFacts } | { ok: false; message: string };

function runWorker(file: string, timeoutMs: number): Promise<WorkerResult> {
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_FILE, {
      workerData: { file },
      execArgv: WORKER_EXEC_ARGV,
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    let settled = false;
    const settle = (result: WorkerResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => settle({ ok: false, message: `parsing took over ${timeoutMs} ms` }), timeoutMs);
    worker.once("message", settle);
    worker.once("error", (error) => settle({ ok: false, message: error.message }));
    worker.once("exit", (code) => settle({ ok: false, message: `parser exited with code ${code}` }));
  });
}
