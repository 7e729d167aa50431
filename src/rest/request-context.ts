import type { NextFunction, Request, Response } from "express";
import { AssetLoaders } from "../assets/asset-loaders";
import { authenticate } from "../auth/tokens";
import type { Services } from "../services";
import type { ChangeContext } from "../assets/activity/asset-event";

export interface RestLocals {
  userId: string;
  loaders: AssetLoaders;
}

/** Authenticates every /v1 request and gives it loaders bound to the caller. */
export function requireUser(services: Services) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const userId = await authenticate(services.authenticator, req.headers.authorization);
    res.locals.userId = userId;
    res.locals.loaders = new AssetLoaders(services.db, userId);
    next();
  };
}

export function locals(res: Response): RestLocals {
  return res.locals as RestLocals;
}

/** What the audit trail records of the request behind a change. */
export function changeContext(req: Request): ChangeContext {
  return { requestId: String(req.id) };
}
