import { expect } from "chai";
import { startExtraApp, type ExtraApp } from "./extra-app";
import { newUser } from "./helpers";
import { testService } from "./setup";

const APP = "https://app.example.com";

/** A frontend on another origin (CORS_ORIGINS) can call REST, GraphQL and tus; others cannot. */
describe("CORS for browser frontends (CORS_ORIGINS)", () => {
  let app: ExtraApp;
  let base: string;

  before(async () => {
    app = await startExtraApp({ config: { corsOrigins: [APP] } });
    base = app.baseUrl;
  });

  after(() => app?.stop());

  it("answers an allowed origin's preflight, for tus headers too, and lets it read the answer", async () => {
    const preflight = await fetch(`${base}/v1/uploads/00000000-0000-4000-8000-000000000000`, {
      method: "OPTIONS",
      headers: { Origin: APP, "Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "authorization,tus-resumable,upload-offset,upload-checksum,content-type" },
    });
    expect(preflight.status).to.equal(204);
    expect(preflight.headers.get("access-control-allow-origin")).to.equal(APP);
    expect(preflight.headers.get("access-control-allow-methods")).to.include("PATCH");
    expect(preflight.headers.get("access-control-allow-headers")).to.include("upload-checksum");
    expect(preflight.headers.get("access-control-max-age")).to.equal("600");

    const user = await newUser();
    const rest = await fetch(`${base}/v1/assets`, { headers: { Origin: APP, ...user.auth } });
    expect(rest.status).to.equal(200);
    expect(rest.headers.get("access-control-allow-origin")).to.equal(APP);
    expect(rest.headers.get("access-control-expose-headers")).to.include("X-Request-Id");
    const graphql = await fetch(`${base}/graphql`, { method: "POST", headers: { Origin: APP, "Content-Type": "application/json", ...user.auth }, body: JSON.stringify({ query: "{ tags { id } }" }) });
    expect(graphql.headers.get("access-control-allow-origin")).to.equal(APP);
  });

  it("gives any other origin nothing to read, and the default service allows no origin at all", async () => {
    const user = await newUser();
    const other = await fetch(`${base}/v1/assets`, { headers: { Origin: "https://evil.example", ...user.auth } });
    expect(other.headers.get("access-control-allow-origin")).to.equal(null);
    const defaults = await fetch(`${testService().baseUrl}/v1/assets`, { headers: { Origin: APP, ...user.auth } });
    expect(defaults.headers.get("access-control-allow-origin")).to.equal(null);
    const tus = await fetch(`${testService().baseUrl}/v1/uploads`, { method: "OPTIONS", headers: { Origin: APP } });
    expect(tus.headers.get("access-control-allow-origin")).to.equal(null);
  });
});
