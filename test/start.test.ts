import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "../src/free-port";

/**
 * `npm start` as a newcomer runs it: no DATABASE_URL, no AUTH_SECRET. It must start its own
 * PostgreSQL, print the GraphQL URL and a ready token, and answer a query with that token.
 */
describe("npm start on a fresh data directory", function () {
  this.timeout(120_000);
  let child: ChildProcess | undefined;
  let dataDir: string;

  before(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "asset-library-start-"));
    await fs.chmod(dataDir, 0o755);
  });

  after(async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child!.once("exit", resolve));
    }
    await fs.rm(dataDir, { recursive: true, force: true });
  });

  it("serves GraphQL on the embedded PostgreSQL at the printed URL with the printed token", async () => {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), NODE_ENV: "development", LOG_LEVEL: "warn" };
    delete env.DATABASE_URL;
    delete env.AUTH_SECRET;
    child = spawn(process.execPath, ["--require", "ts-node/register/transpile-only", "src/main.ts"], {
      cwd: path.join(__dirname, ".."),
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const printed = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start-up banner:\n${output}`)), 90_000);
      child!.stdout!.on("data", () => {
        if (/Demo token[^\n]*\n\s*\S+/.test(output)) {
          clearTimeout(timer);
          resolve(output);
        }
      });
      child!.once("exit", (code) => reject(new Error(`exited with ${code}:\n${output}`)));
    });

    const graphqlUrl = /GraphQL:\s+(\S+)/.exec(printed)![1];
    const token = /Demo token[^\n]*\n\s*(\S+)/.exec(printed)![1];
    expect(printed).to.match(/GraphiQL:\s+http:\/\/127\.0\.0\.1:\d+\/graphiql/);
    const response = await fetch(graphqlUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ assets(first: 5) { totalCount } }" }),
    });
    expect(await response.json()).to.deep.equal({ data: { assets: { totalCount: 0 } } });
    const graphiql = await fetch(graphqlUrl.replace(/graphql$/, "graphiql"));
    expect(await graphiql.text()).to.include("Asset Library GraphiQL");

    child.kill("SIGTERM");
    const code = await new Promise((resolve) => child!.once("exit", resolve));
    expect(code).to.equal(0);
    expect(await fs.readFile(path.join(dataDir, "postgres", "PG_VERSION"), "utf8")).to.match(/^\d+/);
    // PostgreSQL was stopped cleanly with the service, not left running.
    expect(await fs.stat(path.join(dataDir, "postgres", "postmaster.pid")).then(() => true, () => false)).to.equal(false);
  });
});
