import type * as fontkit from "fontkit";

export const SPECIMEN_SIZE = 600;
const MARGIN = 24;

const LINES: Array<{ text: string; size: number }> = [
  { text: "Aa", size: 260 },
  { text: "Aa Bb Cc 0123", size: 64 },
  { text: "The quick brown fox jumps", size: 36 },
];

/**
 * A specimen of the font drawn from its own glyph outlines (no system fonts involved): a large
 * "Aa" and two sample lines, each shrunk to fit the 600 px square.
 */
export function specimenSvg(font: fontkit.Font): string {
  const paths: string[] = [];
  let baseline = MARGIN;
  for (const line of LINES) {
    const run = font.layout(line.text);
    const advance = run.positions.reduce((sum, p) => sum + p.xAdvance, 0);
    const natural = line.size / font.unitsPerEm;
    const scale = Math.min(natural, (SPECIMEN_SIZE - 2 * MARGIN) / Math.max(1, advance));
    const ascent = (font.ascent || font.unitsPerEm * 0.8) * scale;
    const descent = Math.abs(font.descent || font.unitsPerEm * 0.2) * scale;
    baseline += ascent;
    let x = (SPECIMEN_SIZE - advance * scale) / 2;
    run.glyphs.forEach((glyph, i) => {
      const position = run.positions[i];
      const d = glyph.path.toSVG();
      if (d) {
        const gx = x + position.xOffset * scale;
        const gy = baseline - position.yOffset * scale;
        paths.push(`<path transform="translate(${gx.toFixed(2)} ${gy.toFixed(2)}) scale(${scale.toFixed(5)} ${(-scale).toFixed(5)})" d="${d}"/>`);
      }
      x += position.xAdvance * scale;
    });
    baseline += descent + 12;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SPECIMEN_SIZE}" height="${SPECIMEN_SIZE}" viewBox="0 0 ${SPECIMEN_SIZE} ${SPECIMEN_SIZE}">` +
    `<rect width="100%" height="100%" fill="#ffffff"/><g fill="#111827">${paths.join("")}</g></svg>`
  );
}
