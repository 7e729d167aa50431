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
});
