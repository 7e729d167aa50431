import { expect } from "chai";
import { loadConfig } from "../src/config";

describe("configuration", () => {
  it("has working defaults with no environment at all", () => {
    const config = loadConfig({});
    expect(config).to.include({ port: 4000, host: "127.0.0.1", maxImagePixels: 100_000_000, databaseUrl: undefined, publicUrl: "http://127.0.0.1:4000" });
  });

  it("fails fast listing every bad variable at once", () => {
    expect(() => loadConfig({ PORT: "http", MAX_IMAGE_PIXELS: "-1", DATABASE_URL: "not a url", AUTH_SECRET: "short" }))
      .to.throw(/PORT[\s\S]*DATABASE_URL[\s\S]*AUTH_SECRET[\s\S]*MAX_IMAGE_PIXELS|PORT/)
      .and.satisfy((error: Error) => ["PORT", "MAX_IMAGE_PIXELS", "DATABASE_URL", "AUTH_SECRET"].every((name) => error.message.includes(name)));
  });
});
