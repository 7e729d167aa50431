import { execFile, spawn } from "node:child_process";

export class ToolError extends Error {
  constructor(
    message: string,
    readonly kind: "timeout" | "failed",
    readonly stderr: string,
  ) {
    super(message);
  }
}

export interface ToolRun {
  stdout: string;
  stderr: string;
}

/**
 * Runs a media tool with no shell, a wall-clock limit (SIGKILL when it passes) and a cap on what
 * it may print, so a hostile file can neither hang a request nor flood memory.
 */
export function runTool(
  binary: string,
  args: string[],
  options: { timeoutMs: number; maxOutputBytes?: number },
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      args,
      {
        timeout: options.timeoutMs,
        killSignal: "SIGKILL",
        maxBuffer: options.maxOutputBytes ?? 8 * 1024 * 1024,
        windowsHide: true,
        env: {},
      },
      (error, stdout, stderr) => {
        if (!error) return resolve({ stdout, stderr });
        const timedOut = (error as { killed?: boolean }).killed === true;
        reject(
          new ToolError(
            timedOut ? `${binary} timed out after ${options.timeoutMs} ms` : `${binary} failed: ${firstLine(stderr)}`,
            timedOut ? "timeout" : "failed",
            stderr,
          ),
        );
      },
    );
  });
}

export function firstLine(text: string): string {
  return text.split("\n").find((line) => line.trim() !== "")?.trim().slice(0, 300) ?? "";
}

/**
 * Like runTool, but hands stdout over chunk by chunk instead of collecting it (for decoded PCM,
 * which can be far larger than the file it came from). stderr is capped.
 */
export function streamTool(
  binary: string,
  args: string[],
  options: { timeoutMs: number; onStdout: (chunk: Buffer) => void },
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"], env: {} });
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs);
    child.stdout.on("data", options.onStdout);
    child.stderr.on("data", (d: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += d.toString("utf8");
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new ToolError(`${binary} could not start: ${error.message}`, "failed", stderr));
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new ToolError(`${binary} timed out after ${options.timeoutMs} ms`, "timeout", stderr));
      else if (code !== 0) reject(new ToolError(`${binary} failed: ${firstLine(stderr)}`, "failed", stderr));
      else resolve();
    });
  });
}
