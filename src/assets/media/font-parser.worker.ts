import fs from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import * as fontkit from "fontkit";
import type { FontFacts } from "./font";

/**
 * Runs in a worker thread: fontkit is synchronous, so a hostile font could otherwise stall the
 * event loop; the parent terminates this thread when it overruns its time.
 */
function parse(file: string): FontFacts {
  const parsed = fontkit.create(fs.readFileSync(file));
  if ("fonts" in parsed) throw new Error("font collections are not accepted");
  const tables = parsed.directory.tables;
  const family = parsed.getName("preferredFamily") ?? parsed.familyName;
  const subfamily = parsed.getName("preferredSubfamily") ?? parsed.subfamilyName;
  if (!family) throw new Error("the font has no family name");
  if (!(parsed.numGlyphs > 0)) throw new Error("the font has no glyphs");
  // Shaping a sample and drawing its outlines reads cmap, hmtx and glyf/CFF: a cut-off or
  // garbled table fails here.
  for (const glyph of parsed.layout("Aa0").glyphs) void glyph.path.commands.length;
  void parsed.getGlyph(parsed.numGlyphs - 1).path.commands.length;
  return {
    family,
    subfamily: subfamily ?? "Regular",
    glyphCount: parsed.numGlyphs,
    outlineFormat: "CFF " in tables || "CFF2" in tables ? "CFF" : "glyf" in tables ? "TrueType" : "unknown",
    variable: "fvar" in tables,
  };
}

try {
  parentPort!.postMessage({ ok: true, facts: parse(workerData.file as string) });
} catch (error) {
  parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
