import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";

const SRC = path.resolve(__dirname, "../src");

/** Every relative import of every file under src/, type-only imports included, as src-relative paths. */
function importGraph(): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts")) files.push(full);
    }
  };
  walk(SRC);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets: string[] = [];
    for (const match of fs.readFileSync(file, "utf8").matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+"(\.[^"]+)"/gm)) {
      const target = path.resolve(path.dirname(file), match[1]);
      const resolved = [`${target}.ts`, path.join(target, "index.ts")].find((candidate) => fs.existsSync(candidate));
      if (resolved?.startsWith(SRC)) targets.push(path.relative(SRC, resolved));
    }
    graph.set(path.relative(SRC, file), targets);
  }
  return graph;
}

/** Strongly connected components of more than one file (Tarjan): each is an import circle. */
function circles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

/**
 * The layers, from the wire down: rest/, graphql/, http/ translate; assets/ holds the domain; its
 * media/ and storage/ are the ground it stands on, like db/. A layer imports only downwards;
 * entry points (`*.cli.ts`, main, worker, bootstrap) compose them all.
 */
function upwardImport(from: string, to: string): string | undefined {
  if (from.endsWith(".cli.ts")) return undefined;
  const wire = /^(rest|graphql|http)\//;
  if (from.startsWith("assets/") && (wire.test(to) || /^(app|bootstrap|services)\.ts$/.test(to))) return "the domain imports the wire";
  // asset-types.ts is the shared vocabulary (types, formats, limits) and imports nothing.
  const ground = /^assets\/(media\/|storage\/|asset-types\.ts$)/;
  if (/^assets\/(media|storage)\//.test(from) && to.startsWith("assets/") && !ground.test(to)) return "media or storage imports the domain above it";
  if (from.startsWith("db/") && to.startsWith("assets/")) return "the database layer imports the domain";
  return undefined;
}

describe("the import graph of src/", () => {
  const graph = importGraph();

  it("has no import circle, type-only imports included", () => {
    expect(graph.size).to.be.greaterThan(100);
    expect(circles(graph)).to.deep.equal([]);
  });

  it("has no import that runs back up a layer", () => {
    const upward = [...graph].flatMap(([from, targets]) => targets.flatMap((to) => {
      const why = upwardImport(from, to);
      return why ? [`${from} → ${to}: ${why}`] : [];
    }));
    expect(upward).to.deep.equal([]);
  });

  it("keeps every file under 250 lines", () => {
    const long = [...graph.keys()].map((file) => ({ file, lines: fs.readFileSync(path.join(SRC, file), "utf8").split("\n").length })).filter((f) => f.lines > 250);
    expect(long).to.deep.equal([]);
  });

  const sourceOf = (file: string) => fs.readFileSync(path.join(SRC, file), "utf8");

  it("builds every ffmpeg and ffprobe command line in media/ffmpeg.ts, from one input prelude", () => {
    const outside = [...graph.keys()].filter((file) => file !== "assets/media/ffmpeg.ts" && /protocol_whitelist|"-i"|"-f", DEMUXERS/.test(sourceOf(file)));
    expect(outside).to.deep.equal([]);
    expect(sourceOf("assets/media/ffmpeg.ts").match(/"-protocol_whitelist"/g)).to.have.length(1);
  });

  it("calls sharp only from media/", () => {
    const outside = [...graph.keys()].filter((file) => !file.startsWith("assets/media/") && /from "sharp"|require\("sharp"\)/.test(sourceOf(file)));
    expect(outside).to.deep.equal([]);
  });
});
