import { randomUUID } from "node:crypto";
import path from "node:path";
import { performance } from "node:perf_hooks";
import sharp from "sharp";
import { signToken } from "../src/auth/tokens";
import { load, startFloorServer } from "./browse-load";
import { median, round3 } from "./measure";
import { startServerProcess } from "./server-process";
import { stored } from "./jpegs";
import { makePhotoLikeJpeg } from "./thumbnails";

const ROUNDS = 5;

/**
 * Transforms of a 24 MP JPEG (bench/thumbnails.ts's photo-like picture), on a service in its own
 * process with its two workers idle:
 * - first render to 800 px WebP: each round asks for an output not yet cached (the quality steps
 *   down by one), timed over HTTP, alternating with the same sharp call in this process (decode
 *   with shrink-on-load, orient, 800 px wide, WebP at the same quality); the goal is a throughput
 *   ratio raw / service of at least 0.8;
 * - cached hits: 10 keep-alive clients asking for one cached render for 8 s, against a minimal Node
 *   server sending the same bytes from memory.
 */
export async function benchRender(work: string) {
  const secret = `bench-render-${randomUUID()}-secret`;
  const file = path.join(work, "render-24mp.jpg");
  await makePhotoLikeJpeg(file, 6000, 4000);
  const server = await startServerProcess(path.join(work, "render-data"), secret, { WORKER_CONCURRENCY: "1" });
  try {
    const token = await signToken(secret, randomUUID());
    const auth = { Authorization: `Bearer ${token}` };
    const assetId = (await stored(`${server.baseUrl}/v1/assets/upload`, token, file))!;
    for (let status = ""; status !== "ready"; await new Promise((r) => setTimeout(r, 200))) {
      status = ((await (await fetch(`${server.baseUrl}/v1/assets/${assetId}`, { headers: auth })).json()) as { status: string }).status;
      if (status === "failed") throw new Error("the bench picture failed processing");
    }
    const renderUrl = (q: number) => `${server.baseUrl}/v1/assets/${assetId}/render?w=800&format=webp&q=${q}`;
    const fetchRender = async (q: number) => {
      const response = await fetch(renderUrl(q), { headers: auth });
      if (response.status !== 200) throw new Error(`render answered ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    };
    const rawRender = (q: number) => sharp(file, { sequentialRead: true }).rotate().toColourspace("srgb").resize(800).webp({ quality: q, alphaQuality: 90 }).toBuffer();
    await fetchRender(90); // warm-up: the service's render path and this process's sharp
    await rawRender(90);
    const service: number[] = [];
    const raw: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const q = 80 - round;
      let start = performance.now();
      await fetchRender(q);
      service.push(performance.now() - start);
      start = performance.now();
      await rawRender(q);
      raw.push(performance.now() - start);
    }
    const cached = await fetchRender(80);
    const floor = await startFloorServer(work, cached);
    try {
      const floorLoad = await load(() => fetch(floor.url).then((r) => r.arrayBuffer()), floor.pid);
      const hits = await load(() => fetch(renderUrl(80), { headers: auth }).then((r) => r.arrayBuffer()), server.pid);
      return {
        first_render_24mp_to_800px_webp: {
          rounds: ROUNDS,
          service_ms: round3(median(service)),
          raw_sharp_ms: round3(median(raw)),
          ratio_raw_to_service: round3(median(raw) / median(service)),
          goal_ratio: 0.8,
        },
        cached_hit_10_connections: { ...hits, render_bytes: cached.length, ratio_to_floor_rps: round3(hits.requests_per_s / floorLoad.requests_per_s), floor_same_bytes: floorLoad },
      };
    } finally {
      floor.stop();
    }
  } finally {
    await server.stop();
  }
}
