import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { signToken } from "../src/auth/tokens";
import { writePaddedMp4 } from "../test/media-builders";
import { cpuSecondsOf, memoryOf, resetPeak, startServerProcess, type ServerProcess } from "./server-process";
import { benchSearch, HEAVY_USER, withSeededLibrary } from "./search";
import { benchSimilar } from "./similar";
import { floorDir, startIngestFloor } from "./ingest-floor";
import { median, round3, timedSeconds } from "./measure";
import { benchS3Upload } from "./s3-upload";
import { benchWorkerScaling } from "./worker-scaling";
import { benchThumbnails } from "./thumbnails";
import { benchJpegs, post, stored } from "./jpegs";
import { benchEvents } from "./events";
import { benchRender } from "./render";

/**
 * `npm run bench`: upload costs measured against baselines taken in the same run, printed as JSON.
 * - a 200 MB video upload over HTTP: wall time against streaming the same bytes through SHA-256
 *   into an fsynced file in this process (the floor for any upload), and how much
 *   the server's peak RSS grows while it streams (the goal: under 100 MB);
 * - the same upload stored in S3 (s3rver) against the raw SDK's multipart upload (bench/s3-upload.ts);
 * - derivative throughput with one and with two worker processes (bench/worker-scaling.ts);
 * - the two pixel-bomb images: time to refusal against a normal small JPEG, and peak RSS growth;
 * - twenty 24 MP JPEGs: ingest against the HTTP floor, and upload to ready against raw sharp (bench/jpegs.ts);
 * - thumbnail + preview of a 24 MP JPEG: the derivative job's code against raw sharp calls;
 * - search over 1,000,000 assets (one user with 200,000): the service against the same SQL;
 * - near-duplicate queries over 1,000,000 perceptual hashes (BENCH=similar runs only these; bench/similar.ts);
 * - transforms: first render of a 24 MP JPEG against raw sharp, cached hits against a static floor (BENCH=render; bench/render.ts);
 * - live events and webhooks: commit to subscriber against a raw LISTEN, webhook deliveries against the HTTP floor (bench/events.ts).
 */
const MB = 1024 * 1024;
const FIXTURES = path.resolve(__dirname, "../test/fixtures");

async function main(): Promise<void> {
  // BENCH=search runs only the library-scale part (it takes its own database).
  // BENCH=events runs only the live events and webhooks.
  if (process.env.BENCH === "events") {
    process.stdout.write(`${JSON.stringify({ live_events_and_webhooks: await benchEvents() }, null, 2)}\n`);
    return;
  }
  if (process.env.BENCH === "similar") {
    const similar = await withSeededLibrary(({ runtime, raw }) => benchSimilar(runtime, raw[0], HEAVY_USER));
    process.stdout.write(`${JSON.stringify({ similar_assets_1m: similar }, null, 2)}\n`);
    return;
  }
  if (process.env.BENCH === "search") {
    process.stdout.write(`${JSON.stringify({ search_1m_assets: await benchSearch() }, null, 2)}\n`);
    return;
  }
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), "asset-library-bench-"));
  await fsp.chmod(work, 0o755);
  const secret = `bench-${randomUUID()}-secret-material`;
  // BENCH=render runs only the transforms.
  if (process.env.BENCH === "render") {
    try {
      process.stdout.write(`${JSON.stringify({ transforms: await benchRender(work) }, null, 2)}\n`);
    } finally {
      await fsp.rm(work, { recursive: true, force: true });
    }
    return;
  }
  // BENCH=jpegs runs only the twenty 24 MP JPEGs: ingest against the floor, and upload to ready.
  if (process.env.BENCH === "jpegs") {
    try {
      process.stdout.write(`${JSON.stringify({ twenty_24mp_jpegs: await benchJpegs(work, secret) }, null, 2)}\n`);
    } finally {
      await fsp.rm(work, { recursive: true, force: true });
    }
    return;
  }
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

    // The same upload against a minimal HTTP server that only hashes and fsyncs (bench/ingest-floor.ts).
    await fsp.mkdir(floorDir(work), { recursive: true });
    const floor = await startIngestFloor(floorDir(work));
    let video200;
    try {
      // Rounds alternate between the two, so drift in the machine hits both alike; medians reported.
      const times = { service: [large.seconds], floor: [] as number[] };
      for (let round = 0; round < 3; round++) {
        times.floor.push(await timedSeconds(() => stored(floor.url, token, video)));
        if (round > 0) times.service.push(await timedSeconds(() => stored(`${server.baseUrl}/v1/assets/upload`, token, video)));
      }
      const [service, floorSeconds] = [median(times.service), median(times.floor)];
      video200 = { rounds: 3, service_seconds: round3(service), http_floor_seconds: round3(floorSeconds), ratio_to_http_floor: round3(service / floorSeconds), goal_ratio: 1.2 };
    } finally {
      floor.stop();
    }
    const jpegs = await benchJpegs(work, secret);

    const small = await measured(server, () => upload(server, token, path.join(FIXTURES, "image/jpg-progressive-file-type-logo-3000x1438.jpg")));
    const bombs = [];
    for (const name of ["jpg-pixel-bomb-20000x14000.jpg", "png-pixel-bomb-65536x65536.png"]) {
      const result = await measured(server, () => upload(server, token, path.join(FIXTURES, "image", name)));
      bombs.push({ file: name, status: result.status, code: result.code, seconds: round3(result.seconds), ratio_to_normal_jpeg: round3(result.seconds / small.seconds), peak_rss_growth_mb: round3(result.peakGrowth / MB) });
    }

    const report = {
      machine: { cpus: os.cpus().length, node: process.version },
      upload_200mb_video: {
        bytes: fs.statSync(video).size,
        seconds: round3(large.seconds),
        throughput_mb_per_s: round3(fs.statSync(video).size / MB / large.seconds),
        baseline_hash_and_fsync_seconds: round3(floorSeconds),
        ratio_to_baseline: round3(large.seconds / floorSeconds),
        server_peak_rss_growth_mb: round3(large.peakGrowth / MB),
        goal_peak_rss_growth_mb: 100,
      },
      ingest_against_http_floor: { video_200mb: video200, twenty_24mp_jpegs_two_at_a_time: { bytes_each: jpegs.bytes_each, ...jpegs.ingest_against_http_floor } },
      upload_200mb_to_s3: await benchS3Upload(work, video),
      derivative_workers: await benchWorkerScaling(),
      twenty_24mp_jpegs_upload_to_ready: jpegs.upload_to_ready,
      normal_jpeg_3000x1438: { seconds: round3(small.seconds), peak_rss_growth_mb: round3(small.peakGrowth / MB) },
      pixel_bombs: bombs,
      // BENCH=ingest stops at the uploads.
      ...(process.env.BENCH === "ingest" ? {} : { thumbnail_and_preview_24mp_jpeg: await benchThumbnails(), live_events_and_webhooks: await benchEvents(), transforms: await benchRender(work), search_1m_assets: await benchSearch() }),
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


function hashing(): Transform {
  const hash = createHash("sha256");
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
}


main().catch((error) => {
  console.error(error);
  process.exit(1);
});
