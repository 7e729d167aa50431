import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, loadProcessConfig } from "../src/config";

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

  it("stores locally unless STORAGE_DRIVER=s3, which needs a bucket and takes its settings", () => {
    expect(loadConfig({}).s3).to.equal(undefined);
    expect(loadConfig({ STORAGE_DRIVER: "s3", S3_BUCKET: "assets", S3_PREFIX: "prod", S3_ENDPOINT: "http://minio:9000", S3_FORCE_PATH_STYLE: "true" }).s3).to.deep.equal({
      endpoint: "http://minio:9000",
      region: "us-east-1",
      bucket: "assets",
      prefix: "prod/",
      forcePathStyle: true,
      downloadRedirect: false,
    });
    expect(() => loadConfig({ STORAGE_DRIVER: "s3" })).to.throw(/S3_BUCKET must be set/);
    expect(() => loadConfig({ STORAGE_DRIVER: "gcs" })).to.throw(/STORAGE_DRIVER must be local or s3/);
    expect(() => loadConfig({ STORAGE_DRIVER: "s3", S3_BUCKET: "b", S3_DOWNLOAD_REDIRECT: "yes" })).to.throw(/S3_DOWNLOAD_REDIRECT must be true or false/);
  });

  it("reads a .env file (ENV_FILE names another) for what the environment does not set", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "env-")), "service.env");
    fs.writeFileSync(file, "RESUMABLE_UPLOAD_SWEEP_SECONDS=1234\nGRAPHQL_MAX_DEPTH=15\n# a comment\nCORS_ORIGINS=https://app.example.com\n");
    const keys = ["ENV_FILE", "RESUMABLE_UPLOAD_SWEEP_SECONDS", "GRAPHQL_MAX_DEPTH", "CORS_ORIGINS"];
    const saved = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
    try {
      process.env.ENV_FILE = file;
      process.env.GRAPHQL_MAX_DEPTH = "12";
      delete process.env.RESUMABLE_UPLOAD_SWEEP_SECONDS;
      delete process.env.CORS_ORIGINS;
      const config = loadProcessConfig();
      expect(config.resumableUploads.sweepIntervalSeconds).to.equal(1234);
      expect(config.corsOrigins).to.deep.equal(["https://app.example.com"]);
      // The environment wins over the file.
      expect(config.graphqlLimits.maxDepth).to.equal(12);
      process.env.ENV_FILE = path.join(path.dirname(file), "missing.env");
      expect(() => loadProcessConfig()).to.throw(/ENV_FILE/);
    } finally {
      for (const key of keys) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });

  it("takes CORS origins as exact origins or *, and refuses anything else", () => {
    expect(loadConfig({}).corsOrigins).to.deep.equal([]);
    expect(loadConfig({ CORS_ORIGINS: "https://app.example.com, http://localhost:5173/" }).corsOrigins).to.deep.equal(["https://app.example.com", "http://localhost:5173"]);
    expect(loadConfig({ CORS_ORIGINS: "*" }).corsOrigins).to.deep.equal(["*"]);
    expect(() => loadConfig({ CORS_ORIGINS: "https://app.example.com/path" })).to.throw(/CORS_ORIGINS/);
    expect(() => loadConfig({ CORS_ORIGINS: "app.example.com" })).to.throw(/CORS_ORIGINS/);
  });
});
