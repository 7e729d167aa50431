import { execFile } from "node:child_process";

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
