import { expect } from "chai";
import { newUser, type TestUser } from "./helpers";
import { serviceLogLines, testService } from "./setup";

/** What an operator reads: the test service's log lines, kept in memory by test/setup.ts. */
describe("request and upload logging", () => {
  const lines = serviceLogLines;
  const baseUrl = () => testService().baseUrl;
  let user: TestUser;

  before(async () => {
    user = await newUser();
  });

  it("logs every request with its id, and echoes the id as X-Request-Id", async () => {
    const offered = await fetch(`${baseUrl()}/v1/assets`, { headers: { ...user.auth, "X-Request-Id": "trace-42" } });
    expect(offered.headers.get("x-request-id")).to.equal("trace-42");
    const made = await fetch(`${baseUrl()}/v1/assets`, { headers: { ...user.auth, "X-Request-Id": "not a plain id!" } });
    const id = made.headers.get("x-request-id");
    expect(id).to.match(/^[0-9a-f-]{36}$/);
    const line = lines.find((l) => l.req_id === "trace-42" && l.msg === "request completed");
    expect(line).to.deep.include({ req: { method: "GET", url: "/v1/assets" }, res: { statusCode: 200 } });
    expect(lines.some((l) => l.req_id === id && l.res?.statusCode === 200)).to.equal(true);
  });

  it("logs every upload outcome, refusals included, with user, type, size, time, code and reason", async () => {
    const upload = async (bytes: Buffer, filename: string, requestId: string) => {
      const form = new FormData();
      form.append("asset_type", "logo");
      form.append("file", new Blob([new Uint8Array(bytes)]), filename);
      return fetch(`${baseUrl()}/v1/assets/upload`, { method: "POST", headers: { ...user.auth, "X-Request-Id": requestId }, body: form });
    };
    const svg = (attrs: string) => Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"${attrs}><rect width="5" height="5"/></svg>`);
    expect((await upload(svg(` onload="alert(1)"`), "evil.svg", "up-evil")).status).to.equal(422);
    expect((await upload(svg(""), "fine.svg", "up-fine")).status).to.equal(201);
    const refused = lines.find((l) => l.req_id === "up-evil" && l.upload);
    expect(refused?.upload).to.deep.include({ user: user.userId, kind: "asset", filename: "evil.svg", asset_type: "logo", outcome: "SECURITY_VIOLATION", reason: "active_svg" });
    expect(refused?.upload.ms).to.be.a("number");
    const stored = lines.find((l) => l.req_id === "up-fine" && l.upload);
    expect(stored?.upload).to.deep.include({ user: user.userId, asset_type: "logo", bytes: svg("").length, outcome: "stored" });
  });

  it("answers a wrong method on a known path with 405 and Allow", async () => {
    const cases: Array<[string, string, string]> = [
      ["DELETE", "/v1/assets/stats", "GET, HEAD"],
      ["DELETE", "/v1/assets/folders", "GET, HEAD, POST"],
      ["PATCH", "/v1/assets/00000000-0000-4000-8000-000000000000", "DELETE, GET, HEAD, PUT"],
      ["PUT", "/v1/assets/tags/bulk", "POST"],
      ["POST", "/v1/openapi.json", "GET, HEAD"],
    ];
    for (const [method, url, allow] of cases) {
      const response = await fetch(`${baseUrl()}${url}`, { method, headers: user.auth });
      expect([response.status, response.headers.get("allow")], `${method} ${url}`).to.deep.equal([405, allow]);
      expect(((await response.json()) as any).error.code).to.equal("METHOD_NOT_ALLOWED");
    }
    expect((await fetch(`${baseUrl()}/v1/nowhere`, { method: "DELETE", headers: user.auth })).status).to.equal(404);
  });
});
