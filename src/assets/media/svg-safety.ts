/**
 * Decides whether an SVG is inert. Logos are shown inside other people's pages, so anything that
 * can run code or reach outside the file is refused rather than cleaned: the stored bytes are what
 * the owner uploaded, and what they uploaded is safe to serve.
 */
export interface SvgVerdict {
  safe: boolean;
  /** Why it is unsafe, for the error's details. */
  finding?: string;
}

const FORBIDDEN_ELEMENTS = new Set([
  // XInclude's <xi:include> pulls other files (or the server's) into the document.
  "include",
  "script", "foreignobject", "iframe", "embed", "object", "frame", "frameset", "applet",
  "meta", "link", "base", "form", "input", "button", "textarea", "audio", "video", "handler", "listener",
]);
const HREF_ATTRIBUTES = new Set(["href", "xlink:href", "src", "action", "formaction", "data"]);
/** Inline raster images are allowed; any other URL in an href must point inside the document. */
const SAFE_DATA_URL = /^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$/i;
const PLAIN_DOCTYPE = /^<!doctype\s+svg(\s+public\s+"[^"<>\[\]]*"(\s+"[^"<>\[\]]*")?)?\s*>$/i;
const TAG = /<\s*([a-zA-Z][\w:.-]*)((?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?\s*>/g;
const ATTRIBUTE = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

export function checkSvgSafety(text: string): SvgVerdict {
  const unsafe = (finding: string): SvgVerdict => ({ safe: false, finding });
  const lower = text.toLowerCase();

  if (lower.includes("<!entity")) return unsafe("entity declaration");
  // The W3C public DOCTYPE that editors write is inert (renderers never fetch it); an internal
  // subset is where entity tricks live, so any DOCTYPE other than the plain form is refused.
  for (const doctype of text.matchAll(/<!doctype[^>]*>?/gi)) {
    if (!PLAIN_DOCTYPE.test(doctype[0])) return unsafe("DOCTYPE with an internal subset or unusual form");
  }
  if (/<\?xml-stylesheet/i.test(text)) return unsafe("external stylesheet");
  // Character data is where an entity-encoded payload would hide from the tag scan below.
  if (/<!\[cdata\[/i.test(text) && /<\s*(script|style)/i.test(text)) return unsafe("CDATA in script or style");

  for (const tag of text.matchAll(TAG)) {
    const element = localName(tag[1]);
    if (FORBIDDEN_ELEMENTS.has(element)) return unsafe(`<${tag[1]}> element`);
    for (const attribute of (tag[2] ?? "").matchAll(ATTRIBUTE)) {
      const name = attribute[1].toLowerCase();
      const value = decodeEntities(attribute[2] ?? attribute[3] ?? attribute[4] ?? "");
      const finding = checkAttribute(element, name, value);
      if (finding) return unsafe(finding);
    }
  }
  for (const style of text.matchAll(/<\s*style[^>]*>([\s\S]*?)<\s*\/\s*style\s*>/gi)) {
    const finding = checkCss(decodeEntities(style[1]));
    if (finding) return unsafe(`<style>: ${finding}`);
  }
  return { safe: true };
}

function checkAttribute(element: string, name: string, value: string): string | undefined {
  if (name.startsWith("on")) return `event handler attribute ${name}`;
  const compact = value.replace(/[\s\u0000-\u001f]/g, "").toLowerCase();
  if (/(java|vb)script:/.test(compact)) return `script URL in ${name}`;
  if (HREF_ATTRIBUTES.has(name) || name.endsWith(":href")) {
    const target = value.trim();
    if (target !== "" && !target.startsWith("#") && !SAFE_DATA_URL.test(target)) return `external reference in ${name}`;
  }
  // <animate attributeName="href"> and <set> can rewrite a link after the checks above.
  if ((element === "animate" || element === "set") && name === "attributename" && /href$/i.test(value.trim())) {
    return `animation of ${value.trim()}`;
  }
  // Presentation attributes (fill, filter, mask, …) are CSS values: checked as CSS, escapes undone.
  return checkCss(value);
}

/** CSS functions that fetch what their string names, besides url(). */
const FETCHING_CSS_FUNCTIONS = /(^|[^a-z-])(image-set|-webkit-image-set|image|cross-fade|element|src)\s*\(/;

function checkCss(css: string): string | undefined {
  const compact = unescapeCss(css.replace(/\/\*[\s\S]*?\*\//g, "")).toLowerCase();
  if (compact.includes("@import")) return "@import";
  if (/expression\s*\(/.test(compact)) return "CSS expression";
  if (/(java|vb)script:/.test(compact.replace(/\s/g, ""))) return "script URL in CSS";
  if (FETCHING_CSS_FUNCTIONS.test(compact)) return "a fetching CSS function";
  // Every url() must name a fragment of this document or an inline raster image; one that cannot
  // be read as either (an unbalanced quote, say) is refused too.
  for (const match of compact.matchAll(/url\(/g)) {
    const rest = compact.slice(match.index + 4);
    const argument = /^\s*(?:"([^"]*)"|'([^']*)'|([^'")\s]*))\s*\)/.exec(rest);
    const target = (argument?.[1] ?? argument?.[2] ?? argument?.[3] ?? "").trim();
    if (!argument || (!target.startsWith("#") && !SAFE_DATA_URL.test(target))) return "external url() in CSS";
  }
  return undefined;
}

/** CSS escapes undone (`\75 rl(` is `url(`, `\:` is `:`), as a browser reads them. */
function unescapeCss(css: string): string {
  return css.replace(/\\(?:([0-9a-f]{1,6})[ \t\n\r\f]?|([\s\S]))/gi, (_whole, hex: string | undefined, char: string | undefined) => {
    if (hex === undefined) return char === "\n" ? "" : (char ?? "");
    const code = parseInt(hex, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
  });
}

function localName(qualified: string): string {
  const colon = qualified.lastIndexOf(":");
  return (colon >= 0 ? qualified.slice(colon + 1) : qualified).toLowerCase();
}

const NAMED_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", colon: ":", tab: "\t", newline: "\n" };

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : "";
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? whole;
  });
}
