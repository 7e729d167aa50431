import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { freePort } from "../src/free-port";

/** The service in its own process, so that its memory can be read from /proc alone. */
export interface ServerProcess {
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

/** The V8 flags `npm start` runs the service with (package.json), so the bench measures the same process. */
const START_FLAGS = (require("../package.json").scripts.start as string).split(" ").filter((token) => token.startsWith("--"));

export async function startServerProcess(dataDir: string, authSecret: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  // No derivative workers: the upload path is measured alone, not the jobs it queues.
  const child = await startScript("src/main.ts", { DATA_DIR: dataDir, PORT: String(port), AUTH_SECRET: authSecret, LOG_LEVEL: "warn", WORKER_CONCURRENCY: "0", ...env }, "listening on");
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    async stop() {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    },
  };
}

/** One of the project's entry points run as `npm start` runs it, once its output shows `ready`. */
export async function startScript(script: string, env: Record<string, string>, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...START_FLAGS, ...profiling(), "--require", "ts-node/register/transpile-only", script], {
    cwd: path.join(__dirname, ".."),
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (d) => {
      output += d;
      if (output.includes(ready)) resolve();
    });
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return child;
}

/** BENCH_PROFILE_DIR=dir writes each service process's CPU profile there when it stops. */
function profiling(): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
}

/** Resident memory now and its peak since the last reset, in bytes (Linux /proc). */
export async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await fs.readFile(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)![1]) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

/** Resets the peak-RSS counter (VmHWM) so the next reading covers only what follows. */
export async function resetPeak(pid: number): Promise<void> {
  await fs.writeFile(`/proc/${pid}/clear_refs`, "5");
}

/** User plus system CPU a process has used, in seconds (Linux /proc). */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const fields = (await fs.readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
