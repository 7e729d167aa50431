import fs from "node:fs";
import path from "node:path";

export interface MediaToolPaths {
  ffmpeg: string;
  ffprobe: string;
}

/**
 * Where ffmpeg and ffprobe come from, in order: FFMPEG_PATH/FFPROBE_PATH, the system PATH (a
 * distribution build gets security fixes), then the static builds shipped as optional npm
 * dependencies, so that a plain `npm install` is enough.
 */
export function resolveMediaTools(configured: { ffmpegPath?: string; ffprobePath?: string }): MediaToolPaths {
  return {
    ffmpeg: configured.ffmpegPath ?? onPath("ffmpeg") ?? fromPackage("@ffmpeg-installer/ffmpeg", "ffmpeg"),
    ffprobe: configured.ffprobePath ?? onPath("ffprobe") ?? fromPackage("@ffprobe-installer/ffprobe", "ffprobe"),
  };
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function fromPackage(pkg: string, name: string): string {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require(pkg) as { path: string }).path;
  } catch {
    throw new Error(
      `${name} not found: set ${name.toUpperCase()}_PATH, install it on the PATH, or reinstall with optional dependencies (${pkg})`,
    );
  }
}
