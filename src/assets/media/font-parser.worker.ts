import fs from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import * as fontkit from "fontkit";
import type { FontFacts } from "./font";
import { specimenSvg } from "./font-specimen";

/**
 * Runs in a worker thread: fontkit is synchronous, so a hostile font could otherwise stall the
 * event loop; the parent terminates this thread when it overruns its time.
 * Tasks: "facts" (metadata and an integrity check) and "specimen" (an SVG drawn from the glyphs).
 */
function load(file: string): fontkit.Font {
  const parsed = fontkit.create(fs.readFileSync(file));
  if ("fonts" in parsed) throw new Error("font collections are not accepted");
  return parsed;
}

function facts(font: fontkit.Font): FontFacts {
  const tables = font.directory.tables;
  const family = font.getName("preferredFamily") ?? font.familyName;
  const subfamily = font.getName("preferredSubfamily") ?? font.subfamilyName;
  if (!family) throw new Error("the font has no family name");
  if (!(font.numGlyphs > 0)) throw new Error("the font has no glyphs");
  // Shaping a sample and drawing its outlines reads cmap, hmtx and glyf/CFF: a cut-off or
  // garbled table fails here.
  for (const glyph of font.layout("Aa0").glyphs) void glyph.path.commands.length;
  void font.getGlyph(font.numGlyphs - 1).path.commands.length;
  return {
    family,
    subfamily: subfamily ?? "Regular",
    glyphCount: font.numGlyphs,
    outlineFormat: "CFF " in tables || "CFF2" in tables ? "CFF" : "glyf" in tables ? "TrueType" : "unknown",
    variable: "fvar" in tables,
  };
}

try {
  const font = load(workerData.file as string);
  const result = workerData.task === "specimen" ? specimenSvg(font) : facts(font);
  parentPort!.postMessage({ ok: true, result });
} catch (error) {
  parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
}
