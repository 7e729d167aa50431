import { expect } from "chai";
import { chromium, type Browser } from "playwright-core";
import { startExtraApp, type ExtraApp } from "../extra-app";
import sharp from "sharp";
import { newUser, uploadRest, type TestUser } from "../helpers";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * GraphiQL in a real headless Chromium (Debian's, no downloaded browser): the page loads, runs a
 * query against the service and shows the answer, and every request it makes stays on loopback.
 */
describe("GraphiQL in a browser", function () {
  this.timeout(120_000);
  let browser: Browser;
  let app: ExtraApp;
  let baseUrl: string;
  let user: TestUser;

  before(async () => {
    user = await newUser();
    // The page as `npm start` serves it on loopback: the demo user's token already in its headers.
    app = await startExtraApp({ graphiqlHeaders: { Authorization: user.auth.Authorization } });
    baseUrl = app.baseUrl;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });

  after(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("opens /graphiql, runs the prefilled query and shows the answer, with no request leaving loopback", async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(`${baseUrl}/graphiql`, { waitUntil: "load" });
    await page.waitForSelector(".graphiql-execute-button", { timeout: 30_000 });
    await page.click(".graphiql-execute-button");
    await page.waitForFunction(() => (document.querySelector(".graphiql-response")?.textContent ?? "").includes("totalCount"), undefined, { timeout: 30_000 });
    const answer = await page.textContent(".graphiql-response");
    expect(answer).to.include("totalCount");
    expect(answer).to.not.match(/"errors"|UNAUTHENTICATED|QUERY_TOO_COMPLEX/);
    const outside = requested.filter((url) => {
      if (url.startsWith("data:") || url.startsWith("blob:")) return false;
      return !["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname);
    });
    expect(outside, "requests that left loopback").to.deep.equal([]);
    expect(requested.some((url) => url === `${baseUrl}/graphql`), "the query went to this server").to.equal(true);
  });

  it("fetches the schema on first load: the Docs panel shows it and the editor suggests fields", async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl}/graphiql`, { waitUntil: "load" });
    await page.click('[aria-label="Show Documentation Explorer"]', { timeout: 30_000 });
    const docs = page.locator(".graphiql-doc-explorer");
    await docs.getByText("Query", { exact: true }).first().waitFor({ timeout: 30_000 });
    expect(await docs.textContent()).to.not.match(/Error fetching schema|QUERY_TOO_COMPLEX/);
    await docs.getByText("Query", { exact: true }).first().click();
    await docs.getByText("searchAssets").first().waitFor({ timeout: 10_000 });

    // Autocomplete comes from the fetched schema: typing part of a field offers the field.
    await page.click(".graphiql-query-editor .monaco-editor");
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await page.keyboard.type("{ assets { nodes { fileSi", { delay: 20 });
    await page.keyboard.press("Control+Space");
    const suggestion = page.locator(".suggest-widget .monaco-list-row", { hasText: "fileSize" });
    await suggestion.first().waitFor({ timeout: 15_000 });
  });

  it("runs a subscription over the same /graphql socket and shows each event as it happens", async () => {
    const page = await browser.newPage();
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(socket.url()));
    // GraphiQL starts from the query it last had, kept in localStorage.
    await page.addInitScript(() => localStorage.setItem("graphiql:query", "subscription Live { assetEvents { type assetId actor } }"));
    await page.goto(`${baseUrl}/graphiql`, { waitUntil: "load" });
    await page.waitForSelector(".graphiql-execute-button", { timeout: 30_000 });
    expect(await page.textContent(".graphiql-query-editor")).to.include("assetEvents");
    await page.click(".graphiql-execute-button");
    // Uploads until an event is shown: the subscription is registered when its message lands.
    const uploaded: string[] = [];
    const seen = () => page.waitForFunction(() => /"type":\s*"(UPLOADED|READY|PROCESSING)"/.test(document.querySelector(".graphiql-response")?.textContent ?? ""), undefined, { timeout: 2_000 }).then(() => true, () => false);
    for (let n = 0; uploaded.length === 0 || !(await seen()); n++) {
      if (n > 15) throw new Error("GraphiQL showed no event");
      const file = { bytes: await sharp({ create: { width: 20, height: 20, channels: 3, background: { r: n * 10, g: 40, b: 90 } } }).png().toBuffer(), filename: `live-${n}.png` };
      uploaded.push((await uploadRest(user, file)).body.asset_id);
    }
    const shown = await page.textContent(".graphiql-response");
    expect(shown).to.not.match(/"errors"|UNAUTHENTICATED|4403/);
    // The response editor renders spaces as no-break spaces.
    const text = shown!.replace(/\s+/g, " ");
    expect(uploaded.some((id) => text.includes(`"assetId": "${id}"`))).to.equal(true);
    expect(text).to.match(new RegExp(`"actor": "(${user.userId}|system)"`));
    expect(sockets).to.deep.equal([`${baseUrl.replace("http", "ws")}/graphql`]);
  });
});
