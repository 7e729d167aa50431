import { expect } from "chai";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "../src/free-port";
import { startServiceProcess } from "./service-process";
import { testService } from "./setup";

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
    // Exactly the `start` script: the compiled service (`npm test` builds it first, as `npm install` does).
    const [, ...args] = (require("../package.json").scripts.start as string).split(" ");
    child = spawn(process.execPath, args, {
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

/** Runs a project script as a user would, returning its exit code and everything it printed. */
function runScript(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--require", "ts-node/register/transpile-only", ...args], { cwd: path.join(__dirname, ".."), env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const timer = setTimeout(() => child.kill("SIGKILL"), 90_000);
  return new Promise((resolve) => child.once("exit", (code) => (clearTimeout(timer), resolve({ code, stdout, stderr }))));
}

describe("first contact, and production", function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const tempDir = async (mode = 0o755) => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "asset-library-first-"));
    await fs.chmod(dir, mode);
    dirs.push(dir);
    return dir;
  };
  after(async () => {
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true });
  });

  it("prints no demo token and pre-fills nothing in production", async () => {
    const service = await startServiceProcess({ NODE_ENV: "production", AUTH_SECRET: "", DATABASE_URL: testService().runtime.database.url, WORKER_CONCURRENCY: "0" }, await tempDir());
    try {
      expect(service.output()).to.include("listening on").and.not.match(/Demo token|eyJ/);
      const page = await (await fetch(`${service.baseUrl}/graphiql`)).text();
      expect(page).to.not.match(/Bearer eyJ|"defaultHeaders"/);
    } finally {
      expect(await service.stop()).to.equal(0);
    }
  });

  it("npm run token refuses, in one clear line, to sign with a secret the server does not have", async () => {
    const dataDir = await tempDir();
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
    delete env.AUTH_SECRET;
    const { code, stdout, stderr } = await runScript(["src/auth/token.cli.ts"], env);
    expect(code).to.equal(1);
    expect(stdout).to.equal("");
    expect(stderr.trim().split("\n")).to.have.length(1);
    expect(stderr).to.include(path.join(dataDir, "auth-secret")).and.include("DATA_DIR");
    expect(await fs.readdir(dataDir)).to.deep.equal([]);
  });

  it("says in one line what is wrong with a data directory PostgreSQL cannot enter, and with a busy port", async function () {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "development" };
    delete env.DATABASE_URL;
    if (process.getuid?.() === 0) {
      const closed = await tempDir(0o700);
      const result = await runScript(["src/main.ts"], { ...env, DATA_DIR: path.join(closed, "data"), PORT: String(await freePort()) });
      expect(result.code).to.equal(1);
      expect(result.stderr.trim().split("\n"), result.stderr).to.have.length(1);
      expect(result.stderr).to.include(`chmod o+x ${closed}`);
    } else {
      console.log("      (the unenterable data directory case needs root: the embedded PostgreSQL only changes user then)");
    }
    const busy = new URL(testService().baseUrl).port;
    const result = await runScript(["src/main.ts"], { ...env, DATABASE_URL: testService().runtime.database.url, DATA_DIR: await tempDir(), PORT: busy, WORKER_CONCURRENCY: "0" });
    expect(result.code).to.equal(1);
    expect(result.stderr.trim().split("\n"), result.stderr).to.have.length(1);
    expect(result.stderr).to.include(`Port ${busy} on 127.0.0.1 is already in use`);
  });
});
