import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "../src/free-port";
import { TEST_AUTH_SECRET } from "./setup";

/** `npm start` as a child process (on the given environment), its output kept for failure messages. */
export interface ServiceProcess {
  baseUrl: string;
  child: ChildProcess;
  dataDir: string;
  output(): string;
  /** SIGTERM (or the given signal) and wait for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServiceProcess(env: Record<string, string>, dataDir?: string): Promise<ServiceProcess> {
  const dir = dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), "asset-library-proc-")));
  await fs.chmod(dir, 0o755);
  const port = await freePort();
  const child = spawn(process.execPath, ["--require", "ts-node/register/transpile-only", "src/main.ts"], {
    cwd: path.join(__dirname, ".."),
    env: { ...process.env, DATA_DIR: dir, PORT: String(port), AUTH_SECRET: TEST_AUTH_SECRET, NODE_ENV: "test", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the service did not start:\n${output}`)), 90_000);
    child.stdout!.on("data", () => {
      if (output.includes("listening on")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`the service exited with ${code}:\n${output}`)));
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    dataDir: dir,
    output: () => output,
    async stop(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill(signal);
      return exited;
    },
  };
}
