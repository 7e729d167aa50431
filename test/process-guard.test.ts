import { expect } from "chai";
import { spawn } from "node:child_process";
import path from "node:path";

/** Runs a snippet in a fresh Node process with the guard installed; resolves with its exit code and output. */
function runGuarded(snippet: string): Promise<{ code: number | null; output: string }> {
  const script = `
    const { guardProcess } = require("./src/process-guard");
    const { createLogger } = require("./src/logger");
    guardProcess(createLogger({ logLevel: "error" }));
    ${snippet}
  `;
  const child = spawn(process.execPath, ["--require", "ts-node/register/transpile-only", "-e", script], { cwd: path.join(__dirname, ".."), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}

describe("the process guard", function () {
  this.timeout(30_000);

  it("logs a library's stray rejection (a dropped database connection) and keeps the process running", async () => {
    const { code, output } = await runGuarded(`
      Promise.reject(new Error("Connection terminated unexpectedly"));
      setTimeout(() => { console.log("still running"); process.exit(0); }, 300);
    `);
    expect(code, output).to.equal(0);
    expect(output).to.include("still running").and.include("unhandled promise rejection");
  });

  it("survives an unheard connection error event, but exits on an unknown uncaught exception", async () => {
    const survived = await runGuarded(`
      const { EventEmitter } = require("node:events");
      setTimeout(() => new EventEmitter().emit("error", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" })), 10);
      setTimeout(() => { console.log("still running"); process.exit(0); }, 300);
    `);
    expect(survived.code, survived.output).to.equal(0);
    expect(survived.output).to.include("still running");
    const crashed = await runGuarded(`
      setTimeout(() => { throw new TypeError("a bug"); }, 10);
      setTimeout(() => process.exit(0), 300);
    `);
    expect(crashed.code, crashed.output).to.equal(1);
  });
});
