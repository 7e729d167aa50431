import type { NextFunction, Request, Response, Router } from "express";
import { AppError } from "../errors";

interface RouteLayer {
  match(path: string): { keys?: unknown[] } | false;
  route?: { methods: Record<string, boolean> };
}

/**
 * 405 with `Allow` for a known path asked with a method it does not take, before any route runs.
 * The most specific matching routes decide (fewest parameters): `DELETE /assets/folders` is the
 * folders list asked wrongly, not an asset whose id is "folders".
 */
export function allowedMethods(routers: Router[]) {
  const layers = routers.flatMap((router) => router.stack as unknown as RouteLayer[]).filter((layer) => layer.route);
  return (req: Request, res: Response, next: NextFunction): void => {
    let fewestParams = Infinity;
    let methods = new Set<string>();
    for (const layer of layers) {
      const match = layer.match(req.path);
      if (!match) continue;
      const params = match.keys?.length ?? 0;
      if (params < fewestParams) {
        fewestParams = params;
        methods = new Set();
      }
      if (params === fewestParams) for (const method of Object.keys(layer.route!.methods)) methods.add(method.toUpperCase());
    }
    if (methods.size === 0 || methods.has(req.method) || (req.method === "HEAD" && methods.has("GET"))) {
      next();
      return;
    }
    if (methods.has("GET")) methods.add("HEAD");
    const allow = [...methods].sort().join(", ");
    res.setHeader("Allow", allow);
    next(new AppError("METHOD_NOT_ALLOWED", `${req.method} is not allowed here; use ${allow}`, { allow: [...methods].sort() }));
  };
}
