import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import fsp from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { signToken } from "../src/auth/tokens";
import { cpuSecondsOf, startServerProcess } from "./server-process";
import { floorDir, startIngestFloor } from "./ingest-floor";
import { median, round3, timedSeconds } from "./measure";
import { makePhotoLikeJpeg } from "./thumbnails";
import { processingOutcomes } from "./live-status";

const FIXTURES = path.resolve(__dirname, "../test/fixtures");

/**
 * Twenty 24 MP JPEGs, two at a time: uploaded to the service (no workers) against the HTTP floor
 * in interleaved rounds, then from upload to `ready` on a service with two workers against raw
 * sharp making the same preview and thumbnail at the same concurrency. BENCH=jpegs runs only this.
 */
export async function benchJpegs(work: string, secret: string) {
  const jpegs = await twentyJpegs(work);
  return {
    bytes_each: fs.statSync(jpegs[0]).size,
    ingest_against_http_floor: await jpegIngest(work, secret, jpegs),
    upload_to_ready: await jpegsToReady(work, secret, jpegs),
  };
}

async function jpegIngest(work: string, secret: string, jpegs: string[], rounds = 3) {
  const server = await startServerProcess(path.join(work, "jpeg-ingest-data"), secret);
  await fsp.mkdir(floorDir(work), { recursive: true });
  const floor = await startIngestFloor(floorDir(work));
  try {
    const token = await signToken(secret, randomUUID());
    const serviceUrl = `${server.baseUrl}/v1/assets/upload`;
    await stored(serviceUrl, token, path.join(FIXTURES, "image/jpg-baseline-rgb-320x240-test-pattern.jpg")); // warm-up
    // Rounds alternate between the two, so drift in the machine hits both alike; medians reported.
    const times = { service: [] as number[], floor: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      times.floor.push(await timedSeconds(() => inParallel(jpegs, 2, (file) => stored(floor.url, token, file))));
      times.service.push(await timedSeconds(() => inParallel(jpegs, 2, (file) => stored(serviceUrl, token, file))));
    }
    const [service, floorSeconds] = [median(times.service), median(times.floor)];
    return { rounds, service_seconds: round3(service), http_floor_seconds: round3(floorSeconds), ratio_to_http_floor: round3(service / floorSeconds), goal_ratio: 1.5 };
  } finally {
    floor.stop();
    await server.stop();
  }
}

/**
 * The multipart upload a client sends, to the service or to the floor: streamed from the file
 * with its Content-Length, as curl sends it. (fetch with a FormData body spent about 29 ms of CPU
 * per 3 MB upload on the same two cores the service and its baseline share; this spends a few.)
 */
export async function post(url: string, token: string, file: string): Promise<{ status: number; code?: string; assetId?: string }> {
  const boundary = `----bench${randomUUID().replace(/-/g, "")}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="on_duplicate"\r\n\r\nkeep\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${path.basename(file)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const length = head.length + (await fsp.stat(file)).size + tail.length;
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const request = http.request(url, {
      method: "POST",
      agent,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": `multipart/form-data; boundary=${boundary}`, "Content-Length": length },
    });
    request.on("response", resolve).on("error", reject);
    request.write(head);
    const body = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
    body.on("error", reject);
    body.on("end", () => request.end(tail));
    body.pipe(request, { end: false });
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { error?: { code: string }; asset_id?: string };
  return { status: response.statusCode!, code: parsed.error?.code, assetId: parsed.asset_id };
}

const agent = new http.Agent({ keepAlive: true });

/** An upload that must be stored (201); its asset id. */
export async function stored(url: string, token: string, file: string): Promise<string | undefined> {
  const result = await post(url, token, file);
  if (result.status !== 201) throw new Error(`upload of ${path.basename(file)} answered ${result.status} ${result.code}`);
  return result.assetId;
}

/** Twenty different 24 MP JPEGs (photo-like, about 3 MB each). */
export async function twentyJpegs(work: string): Promise<string[]> {
  const first = path.join(work, "photo-0.jpg");
  await makePhotoLikeJpeg(first, 6000, 4000);
  const files = [first];
  const bytes = await fsp.readFile(first);
  for (let i = 1; i < 20; i++) {
    // A different comment segment after SOI: other bytes, the same image.
    const comment = Buffer.from(`\xff\xfe\x00\x0aphoto${String(i).padStart(3, "0")}`, "latin1");
    const file = path.join(work, `photo-${i}.jpg`);
    await fsp.writeFile(file, Buffer.concat([bytes.subarray(0, 2), comment, bytes.subarray(2)]));
    files.push(file);
  }
  return files;
}

async function inParallel<T>(items: T[], concurrency: number, run: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
  }));
}

/**
 * Twenty 24 MP JPEGs from upload to `ready` (heard over a subscription, as a frontend would) on a
 * service with two workers, two uploads at a time: wall time and the service process's CPU,
 * against raw sharp making the same thumbnail and preview (one decode each, the leanest way) at
 * the same concurrency in this process. Both sides first run one discarded batch (a service that
 * has served nothing yet still compiles its upload path and grows its pools while it is timed, and
 * the raw side runs in an already warm process); then rounds alternate, each with twenty new files
 * (other bytes, so no upload is a duplicate), and medians are reported beside the cold batch.
 */
async function jpegsToReady(work: string, secret: string, jpegs: string[], rounds = 3) {
  const server = await startServerProcess(path.join(work, "ready-data"), secret, { WORKER_CONCURRENCY: "2" });
  try {
    const token = await signToken(secret, randomUUID());
    const status = processingOutcomes(server.baseUrl, token);
    try {
      // A warm-up's outcome arriving shows the subscription is registered (one made before it was is not heard).
      for (let heard = false; !heard; ) {
        const warmUp = (await stored(`${server.baseUrl}/v1/assets/upload`, token, path.join(FIXTURES, "image/jpg-baseline-rgb-320x240-test-pattern.jpg")))!;
        heard = await status.allReady([warmUp], 5_000).then(() => true, () => false);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const serviceBatch = async (files: string[]) => {
        const cpuBefore = await cpuSecondsOf(server.pid);
        const start = performance.now();
        const ids: string[] = [];
        await inParallel(files, 2, async (file) => {
          ids.push((await stored(`${server.baseUrl}/v1/assets/upload`, token, file))!);
        });
        await status.allReady(ids);
        return { seconds: (performance.now() - start) / 1000, cpu: (await cpuSecondsOf(server.pid)) - cpuBefore };
      };
      const cold = { service: await serviceBatch(jpegs), raw: await rawSharpBatch(jpegs) };
      const warm = { service: [] as Batch[], raw: [] as Batch[] };
      for (let round = 0; round < rounds; round++) {
        const files = await renamedCopies(jpegs, `r${round}`);
        warm.service.push(await serviceBatch(files));
        warm.raw.push(await rawSharpBatch(files));
      }
      const summary = (service: Batch, raw: Batch) => ({
        service: { seconds: round3(service.seconds), cpu_seconds_per_image: round3(service.cpu / jpegs.length) },
        raw_sharp_thumbnail_and_preview: { seconds: round3(raw.seconds), cpu_seconds_per_image: round3(raw.cpu / jpegs.length) },
        ratio_time_to_ready: round3(service.seconds / raw.seconds),
        ratio_cpu_per_image: round3(service.cpu / raw.cpu),
      });
      const medianOf = (batches: Batch[]): Batch => ({ seconds: median(batches.map((b) => b.seconds)), cpu: median(batches.map((b) => b.cpu)) });
      return {
        rounds,
        ...summary(medianOf(warm.service), medianOf(warm.raw)),
        first_batch_after_start: summary(cold.service, cold.raw),
        goal: { ratio_time_to_ready: 1.5, ratio_cpu_per_image: 1.3 },
      };
    } finally {
      await status.dispose();
    }
  } finally {
    await server.stop();
  }
}

type Batch = { seconds: number; cpu: number };

/** Raw sharp's thumbnail and preview of each file, two at a time: wall time and this process's CPU. */
async function rawSharpBatch(files: string[]): Promise<Batch> {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await inParallel(files, 2, async (file) => {
    const base = await sharp(file).rotate().toColourspace("srgb").resize(600, 600, { fit: "inside" }).raw().toBuffer({ resolveWithObject: true });
    const raw = { raw: { width: base.info.width, height: base.info.height, channels: base.info.channels } };
    await Promise.all([
      sharp(base.data, raw).webp({ quality: 82 }).toFile(`${file}.preview.webp`),
      sharp(base.data, raw).resize(150, 150, { fit: "cover", position: "attention" }).webp({ quality: 80 }).toFile(`${file}.thumb.webp`),
    ]);
  });
  const seconds = (performance.now() - start) / 1000;
  const usage = process.cpuUsage(cpuBefore);
  return { seconds, cpu: (usage.user + usage.system) / 1e6 };
}

/** The same images with other bytes (a comment segment after SOI naming `tag`): no upload of them is a duplicate. */
async function renamedCopies(files: string[], tag: string): Promise<string[]> {
  return Promise.all(files.map(async (file) => {
    const bytes = await fsp.readFile(file);
    const copy = file.replace(/\.jpg$/, `-${tag}.jpg`);
    const comment = Buffer.from(`\xff\xfe\x00\x06${tag.padEnd(4, "_").slice(0, 4)}`, "latin1");
    await fsp.writeFile(copy, Buffer.concat([bytes.subarray(0, 2), comment, bytes.subarray(2)]));
    return copy;
  }));
}
