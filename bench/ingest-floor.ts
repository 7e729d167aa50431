import { spawn } from "node:child_process";
import path from "node:path";
import { freePort } from "../src/free-port";

/**
 * The floor for any upload over HTTP: a minimal Node server in its own process that streams each
 * request body through SHA-256 into a file, fsyncs it, and answers 201. Nothing parses, checks or
 * records anything: what the service does beyond this is what its ratio to this floor measures.
 */
export async function startIngestFloor(dir: string): Promise<{ url: string; pid: number; stop(): void }> {
  const port = await freePort();
  const script = `
    const { createHash, randomUUID } = require("crypto");
    const fs = require("fs");
    const { Transform } = require("stream");
    const { pipeline } = require("stream/promises");
    require("http").createServer(async (req, res) => {
      const hash = createHash("sha256");
      const meter = new Transform({ transform(chunk, _e, done) { hash.update(chunk); done(null, chunk); } });
      const file = ${JSON.stringify(dir)} + "/" + randomUUID();
      await pipeline(req, meter, fs.createWriteStream(file, { flush: true }));
      fs.rmSync(file);
      res.writeHead(201, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ sha256: hash.digest("hex") }));
    }).listen(${port}, "127.0.0.1", () => console.log("ready"));`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve) => child.stdout!.once("data", () => resolve()));
  return { url: `http://127.0.0.1:${port}/v1/assets/upload`, pid: child.pid!, stop: () => child.kill() };
}

export const floorDir = (work: string) => path.join(work, "floor");
