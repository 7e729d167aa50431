import { expect } from "chai";
import { checkSvgSafety } from "../src/assets/media/svg-safety";
import { newUser, stagedFiles, uploadRest, userFiles } from "./helpers";

const svg = (body: string, attrs = "") => `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10"${attrs}>${body}</svg>`;

const UNSAFE: Array<[string, string]> = [
  ["script element", svg(`<script>alert(1)</script>`)],
  ["namespaced script element", svg(`<svg:script xmlns:svg="http://www.w3.org/2000/svg">alert(1)</svg:script>`)],
  ["event handler on root", svg("", ` onload="alert(1)"`)],
  ["event handler with odd case and spacing", svg(`<rect ONCLICK = 'x()' />`)],
  ["javascript: link", svg(`<a href="javascript:alert(1)"><rect/></a>`)],
  ["entity-encoded javascript: link", svg(`<a xlink:href="&#106;avascript&#x3a;alert(1)"><rect/></a>`)],
  ["javascript: split by whitespace", svg(`<a href="java\tscript:alert(1)"><rect/></a>`)],
  ["foreignObject with HTML", svg(`<foreignObject><iframe src="https://evil.example"/></foreignObject>`)],
  ["external image", svg(`<image href="https://evil.example/track.png"/>`)],
  ["external use", svg(`<use xlink:href="https://evil.example/sprite.svg#icon"/>`)],
  ["file reference", svg(`<image href="file:///etc/passwd"/>`)],
  ["DTD with entities", `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${svg("<text>&x;</text>")}`],
  ["billion laughs", `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>${svg("<text>&lol2;</text>")}`],
  ["external stylesheet PI", `<?xml-stylesheet href="https://evil.example/x.css"?>${svg("")}`],
  ["CSS @import", svg(`<style>@import url(https://evil.example/x.css);</style>`)],
  ["CSS external url()", svg(`<rect style="fill: url('https://evil.example/p.svg#g')"/>`)],
  ["external url() in a presentation attribute", svg(`<rect fill="url(https://evil.example/p.svg#g)"/>`)],
  ["animation rewriting href", svg(`<a><animate attributeName="href" to="javascript:alert(1)"/><rect/></a>`)],
  ["set rewriting xlink:href", svg(`<a><set attributeName="xlink:href" to="https://evil.example"/></a>`)],
  ["embedded object", svg(`<object data="https://evil.example/x.swf"/>`)],
  ["non-image data URL", svg(`<image href="data:text/html;base64,PHNjcmlwdD4="/>`)],
  ["CSS-escaped url( in a style element", svg(`<style>rect { fill: \\75 rl(https://evil.example/p.svg#g) }</style><rect/>`)],
  ["CSS-escaped url( in a style attribute", svg(`<rect style="fill: u\\72 l('https://evil.example/p.svg#g')"/>`)],
  ["CSS-escaped url( in a presentation attribute", svg(`<rect fill="\\75\\72\\6c(https://evil.example/p.svg#g)"/>`)],
  ["CSS-escaped scheme inside url()", svg(`<rect style="fill: url(\\68 ttps://evil.example/p.svg#g)"/>`)],
  ["image-set() fetching a string", svg(`<style>rect { fill: image-set("https://evil.example/a.png" 1x) }</style>`)],
  ["url() with an unbalanced quote", svg(`<rect style="fill: url('https://evil.example/p.svg#g)"/>`)],
  ["XInclude", svg(`<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>`)],
];

const SAFE: Array<[string, string]> = [
  ["plain shapes", svg(`<rect width="5" height="5" fill="#f00"/>`)],
  ["internal references", svg(`<defs><linearGradient id="g"/></defs><rect fill="url(#g)"/><use href="#g"/>`)],
  ["inline raster image", svg(`<image href="data:image/png;base64,iVBORw0KGgo="/>`)],
  ["the W3C public DOCTYPE", `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">${svg("")}`],
  ["styles without URLs", svg(`<style>.a { fill: red; }</style><rect class="a" style="stroke: blue"/>`)],
  ["words like 'online' in text", svg(`<text>online javascript tutorial</text>`)],
];

describe("SVG safety", () => {
  for (const [name, text] of UNSAFE) {
    it(`refuses ${name}`, () => {
      expect(checkSvgSafety(text).safe).to.equal(false);
    });
  }
  for (const [name, text] of SAFE) {
    it(`accepts ${name}`, () => {
      expect(checkSvgSafety(text)).to.deep.equal({ safe: true });
    });
  }

  it("refuses an active SVG logo upload with SECURITY_VIOLATION and keeps nothing", async () => {
    const user = await newUser();
    const { status, body } = await uploadRest(user, { bytes: Buffer.from(svg("", ` onload="alert(document.cookie)"`)), filename: "logo.svg" });
    expect(status).to.equal(422);
    expect(body.error.code).to.equal("SECURITY_VIOLATION");
    expect(body.error.details.finding).to.match(/onload/);
    expect(await userFiles(user.userId)).to.deep.equal([]);
    expect(await stagedFiles()).to.deep.equal([]);
  });

  it("refuses SVGs with a DTD, entities or XInclude as SECURITY_VIOLATION (422) with a reason, quickly", async () => {
    const user = await newUser();
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ""};`.repeat(10)}">`).join("")}]>${svg("<text>&lol9;</text>")}`;
    const files = [
      `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${svg("<text>&x;</text>")}`,
      `<!DOCTYPE svg [${"<!-- padding -->".repeat(400)}<!ENTITY x "y">]>${svg("<text>&x;</text>")}`,
      laughs,
      svg(`<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>`),
    ];
    for (const text of files) {
      const started = Date.now();
      const { status, body } = await uploadRest(user, { bytes: Buffer.from(text), filename: "logo.svg" });
      expect([status, body.error.code, body.error.details.reason], text.slice(0, 80)).to.deep.equal([422, "SECURITY_VIOLATION", "active_svg"]);
      expect(Date.now() - started).to.be.lessThan(2000);
    }
    expect(await userFiles(user.userId)).to.deep.equal([]);
    expect(await stagedFiles()).to.deep.equal([]);
  });

  it("accepts a safe SVG logo with its rendered size", async () => {
    const user = await newUser();
    const { status, body } = await uploadRest(user, { bytes: Buffer.from(svg(`<rect width="5" height="5"/>`, ` width="120" height="40"`)), filename: "mark.svg" });
    expect(status).to.equal(201);
    expect(body).to.include({ asset_type: "logo", mime_type: "image/svg+xml" });
    expect(body.metadata).to.include({ format: "svg", width: 120, height: 40 });
  });
});
