import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { TEST_AUTH_SECRET, testService } from "./setup";

/** `npm run worker` as a child process on the test's database and storage, its log lines parsed. */
export interface WorkerProcess {
  child: ChildProcess;
  /** pino lines it printed, parsed. */
  logs: Array<Record<string, any>>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** `env` replaces the test service's database and storage (a worker of another deployment). */
export async function startWorkerProcess(dataDir: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const service = testService();
  const child = spawn(process.execPath, ["--require", "ts-node/register/transpile-only", "src/worker.ts"], {
    cwd: path.join(__dirname, ".."),
    env: {
      ...process.env,
      NODE_ENV: "test",
      DATABASE_URL: service.runtime.database.url,
      DATA_DIR: dataDir,
      ...service.storageEnv,
      AUTH_SECRET: TEST_AUTH_SECRET,
      LOG_LEVEL: "info",
      WORKER_CONCURRENCY: "2",
      QUEUE_MAINTENANCE_SECONDS: "1",
      JOB_TIMEOUT_SECONDS: "20",
      RECONCILE_INTERVAL_SECONDS: "2",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Array<Record<string, any>> = [];
  let buffered = "";
  child.stdout!.on("data", (data: Buffer) => {
    buffered += data.toString("utf8");
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith("{")) logs.push(JSON.parse(line));
    }
  });
  child.stderr!.resume();
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (logs.some((l) => l.msg === "derivative workers started")) return resolve();
      setTimeout(check, 50);
    };
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
    check();
  });
  return {
    child,
    logs,
    async kill(signal = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill(signal);
      await exited;
    },
  };
}
