import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import sharp from "sharp";
import { signToken } from "../src/auth/tokens";
import { writePaddedMp4 } from "../test/media-builders";
import { cpuSecondsOf, memoryOf, resetPeak, startServerProcess, type ServerProcess } from "./server-process";
import { benchSearch } from "./search";
import { floorDir, startIngestFloor } from "./ingest-floor";
import { median, timedSeconds } from "./measure";
import { benchS3Upload } from "./s3-upload";
import { benchWorkerScaling } from "./worker-scaling";
import { benchThumbnails, makePhotoLikeJpeg } from "./thumbnails";

/**
 * `npm run bench`: upload costs measured against baselines taken in the same run, printed as JSON.
 * - a 200 MB video upload over HTTP: wall time against streaming the same bytes through SHA-256
 *   into an fsynced file in this process (the floor for any upload), and how much
 *   the server's peak RSS grows while it streams (the goal: under 100 MB);
 * - the same upload stored in S3 (s3rver) against the raw SDK's multipart upload (bench/s3-upload.ts);
 * - derivative throughput with one and with two worker processes (bench/worker-scaling.ts);
 * - the two pixel-bomb images: time to refusal against a normal small JPEG, and peak RSS growth;
 * - thumbnail + preview of a 24 MP JPEG: the derivative job's code against raw sharp calls;
 * - search over 1,000,000 assets (one user with 200,000): the service against the same SQL.
 */
const MB = 1024 * 1024;
const FIXTURES = path.resolve(__dirname, "../test/fixtures");

async function main(): Promise<void> {
  // BENCH=search runs only the library-scale part (it takes its own database).
  if (process.env.BENCH === "search") {
    process.stdout.write(`${JSON.stringify({ search_1m_assets: await benchSearch() }, null, 2)}\n`);
    return;
  }
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), "asset-library-bench-"));
  await fsp.chmod(work, 0o755);
  const secret = `bench-${randomUUID()}-secret-material`;
  const server = await startServerProcess(path.join(work, "data"), secret);
  try {
    const token = await signToken(secret, randomUUID());
    const video = path.join(work, "large.mp4");
    await writePaddedMp4(path.join(FIXTURES, "video/mp4-fragmented-h264-aac.mp4"), video, 200 * MB - 1024);

    // The floor for any upload: the same bytes streamed through SHA-256 into a file, fsynced.
    const floorStart = performance.now();
    await pipeline(fs.createReadStream(video), hashing(), fs.createWriteStream(path.join(work, "copy.mp4"), { flush: true }));
    const floorSeconds = (performance.now() - floorStart) / 1000;
    await fsp.rm(path.join(work, "copy.mp4"));

    await upload(server, token, path.join(FIXTURES, "image/jpg-baseline-rgb-320x240-test-pattern.jpg")); // warm-up
    const large = await measured(server, () => upload(server, token, video));
    if (large.status !== 201) throw new Error(`200 MB upload answered ${large.status}`);

    // The same uploads against a minimal HTTP server that only hashes and fsyncs (bench/ingest-floor.ts).
    await fsp.mkdir(floorDir(work), { recursive: true });
    const floor = await startIngestFloor(floorDir(work));
    const jpegs = await twentyJpegs(work);
    let ingest;
    try {
      const stored = async (url: string, file: string) => {
        const result = await post(url, token, file);
        if (result.status !== 201) throw new Error(`upload of ${path.basename(file)} answered ${result.status} ${result.code}`);
      };
      const serviceUrl = `${server.baseUrl}/v1/assets/upload`;
      // Rounds alternate between the two, so drift in the machine hits both alike; medians reported.
      const videoTimes = { service: [large.seconds], floor: [] as number[] };
      const jpegTimes = { service: [] as number[], floor: [] as number[] };
      for (let round = 0; round < 3; round++) {
        videoTimes.floor.push(await timedSeconds(() => stored(floor.url, video)));
        if (round > 0) videoTimes.service.push(await timedSeconds(() => stored(serviceUrl, video)));
        jpegTimes.floor.push(await timedSeconds(() => inParallel(jpegs, 2, (file) => stored(floor.url, file))));
        jpegTimes.service.push(await timedSeconds(() => inParallel(jpegs, 2, (file) => stored(serviceUrl, file))));
      }
      const [serviceVideo, floorVideo, serviceJpegs, floorJpegs] = [videoTimes.service, videoTimes.floor, jpegTimes.service, jpegTimes.floor].map(median);
      ingest = {
        rounds: 3,
        video_200mb: { service_seconds: round(serviceVideo), http_floor_seconds: round(floorVideo), ratio_to_http_floor: round(serviceVideo / floorVideo), goal_ratio: 1.2 },
        twenty_24mp_jpegs_two_at_a_time: {
          bytes_each: fs.statSync(jpegs[0]).size,
          service_seconds: round(serviceJpegs),
          http_floor_seconds: round(floorJpegs),
          ratio_to_http_floor: round(serviceJpegs / floorJpegs),
          goal_ratio: 1.5,
        },
      };
    } finally {
      floor.stop();
    }
    const toReady = await jpegsToReady(work, secret, jpegs);

    const small = await measured(server, () => upload(server, token, path.join(FIXTURES, "image/jpg-progressive-file-type-logo-3000x1438.jpg")));
    const bombs = [];
    for (const name of ["jpg-pixel-bomb-20000x14000.jpg", "png-pixel-bomb-65536x65536.png"]) {
      const result = await measured(server, () => upload(server, token, path.join(FIXTURES, "image", name)));
      bombs.push({ file: name, status: result.status, code: result.code, seconds: round(result.seconds), ratio_to_normal_jpeg: round(result.seconds / small.seconds), peak_rss_growth_mb: round(result.peakGrowth / MB) });
    }

    const report = {
      machine: { cpus: os.cpus().length, node: process.version },
      upload_200mb_video: {
        bytes: fs.statSync(video).size,
        seconds: round(large.seconds),
        throughput_mb_per_s: round(fs.statSync(video).size / MB / large.seconds),
        baseline_hash_and_fsync_seconds: round(floorSeconds),
        ratio_to_baseline: round(large.seconds / floorSeconds),
        server_peak_rss_growth_mb: round(large.peakGrowth / MB),
        goal_peak_rss_growth_mb: 100,
      },
      ingest_against_http_floor: ingest,
      upload_200mb_to_s3: await benchS3Upload(work, video),
      derivative_workers: await benchWorkerScaling(),
      twenty_24mp_jpegs_upload_to_ready: toReady,
      normal_jpeg_3000x1438: { seconds: round(small.seconds), peak_rss_growth_mb: round(small.peakGrowth / MB) },
      pixel_bombs: bombs,
      // BENCH=ingest stops at the uploads.
      ...(process.env.BENCH === "ingest" ? {} : { thumbnail_and_preview_24mp_jpeg: await benchThumbnails(), search_1m_assets: await benchSearch() }),
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    await server.stop();
    await fsp.rm(work, { recursive: true, force: true });
  }
}

async function measured(server: ServerProcess, run: () => Promise<{ status: number; code?: string }>) {
  const before = await memoryOf(server.pid);
  await resetPeak(server.pid);
  const start = performance.now();
  const result = await run();
  const seconds = (performance.now() - start) / 1000;
  const after = await memoryOf(server.pid);
  return { ...result, seconds, peakGrowth: Math.max(0, after.peak - before.rss) };
}

async function upload(server: ServerProcess, token: string, file: string): Promise<{ status: number; code?: string }> {
  return post(`${server.baseUrl}/v1/assets/upload`, token, file);
}

/** The multipart upload a client sends, to the service or to the floor. */
async function post(url: string, token: string, file: string): Promise<{ status: number; code?: string }> {
  const form = new FormData();
  form.append("on_duplicate", "keep");
  form.append("file", await fs.openAsBlob(file), path.basename(file));
  const response = await fetch(url, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: form });
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: body.error?.code };
}

/** Twenty different 24 MP JPEGs (photo-like, about 3 MB each). */
async function twentyJpegs(work: string): Promise<string[]> {
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
 * Twenty 24 MP JPEGs from upload to `ready` on a service with two workers, two uploads at a time:
 * wall time and the service process's CPU, against raw sharp making the same thumbnail and
 * preview (one decode each, the leanest way) at the same concurrency in this process.
 */
async function jpegsToReady(work: string, secret: string, jpegs: string[]) {
  const server = await startServerProcess(path.join(work, "ready-data"), secret, { WORKER_CONCURRENCY: "2" });
  try {
    const token = await signToken(secret, randomUUID());
    const auth = { Authorization: `Bearer ${token}` };
    await post(`${server.baseUrl}/v1/assets/upload`, token, path.join(FIXTURES, "image/jpg-baseline-rgb-320x240-test-pattern.jpg"));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const cpuBefore = await cpuSecondsOf(server.pid);
    const start = performance.now();
    const ids: string[] = [];
    await inParallel(jpegs, 2, async (file) => {
      const form = new FormData();
      form.append("on_duplicate", "keep");
      form.append("file", await fs.openAsBlob(file), path.basename(file));
      const body = (await (await fetch(`${server.baseUrl}/v1/assets/upload`, { method: "POST", headers: auth, body: form })).json()) as { asset_id: string };
      ids.push(body.asset_id);
    });
    for (const id of ids) {
      for (;;) {
        const asset = (await (await fetch(`${server.baseUrl}/v1/assets/${id}`, { headers: auth })).json()) as { status: string };
        if (asset.status === "ready") break;
        if (asset.status !== "processing") throw new Error(`asset ${id} ended ${asset.status}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    const serviceSeconds = (performance.now() - start) / 1000;
    const serviceCpu = (await cpuSecondsOf(server.pid)) - cpuBefore;

    const rawCpuBefore = process.cpuUsage();
    const rawStart = performance.now();
    await inParallel(jpegs, 2, async (file) => {
      const base = await sharp(file).rotate().toColourspace("srgb").resize(600, 600, { fit: "inside" }).raw().toBuffer({ resolveWithObject: true });
      const raw = { raw: { width: base.info.width, height: base.info.height, channels: base.info.channels } };
      await Promise.all([
        sharp(base.data, raw).webp({ quality: 82 }).toFile(`${file}.preview.webp`),
        sharp(base.data, raw).resize(150, 150, { fit: "cover", position: "attention" }).webp({ quality: 80 }).toFile(`${file}.thumb.webp`),
      ]);
    });
    const rawSeconds = (performance.now() - rawStart) / 1000;
    const rawUsage = process.cpuUsage(rawCpuBefore);
    const rawCpu = (rawUsage.user + rawUsage.system) / 1e6;
    return {
      service: { seconds: round(serviceSeconds), cpu_seconds_per_image: round(serviceCpu / jpegs.length) },
      raw_sharp_thumbnail_and_preview: { seconds: round(rawSeconds), cpu_seconds_per_image: round(rawCpu / jpegs.length) },
      ratio_time_to_ready: round(serviceSeconds / rawSeconds),
      ratio_cpu_per_image: round(serviceCpu / rawCpu),
      goal: { ratio_time_to_ready: 1.5, ratio_cpu_per_image: 1.3 },
    };
  } finally {
    await server.stop();
  }
}

function hashing(): Transform {
  const hash = createHash("sha256");
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
}

const round = (n: number) => Math.round(n * 1000) / 1000;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
