// The few parts of fontkit 2 the service uses (the package ships no types).
declare module "fontkit" {
  interface Glyph {
    id: number;
    path: { commands: unknown[]; toSVG(): string };
  }
  interface GlyphPosition {
    xAdvance: number;
    yAdvance: number;
    xOffset: number;
    yOffset: number;
  }
  interface Font {
    familyName: string;
    subfamilyName: string;
    numGlyphs: number;
    unitsPerEm: number;
    ascent: number;
    descent: number;
    directory: { tables: Record<string, unknown> };
    getName(key: string, lang?: string): string | null;
    layout(text: string): { glyphs: Glyph[]; positions: GlyphPosition[] };
    getGlyph(id: number): Glyph;
  }
  interface FontCollection {
    fonts: Font[];
  }
  export function create(buffer: Buffer): Font | FontCollection;
}
