import { Router } from "express";
import { activityJson } from "../assets/activity/activity-json";
import type { ActivityPage } from "../assets/activity/activity.service";
import type { Services } from "../services";
import { EVENT_OPERATIONS as op } from "./contract/event-operations";
import { mount } from "./contract/route";
import { locals } from "./request-context";

/** /v1/activity and /v1/assets/{id}/activity: the audit trail. */
export function activityRoutes(services: Services): Router {
  const router = Router();
  const { activity } = services;

  mount(router, op.listActivity, async (_req, res, { query }) => {
    res.json(presentPage(await activity.list(locals(res).userId, { limit: query.limit, cursor: query.cursor })));
  });

  mount(router, op.getAssetActivity, async (req, res, { query }) => {
    res.json(presentPage(await activity.list(locals(res).userId, { assetId: req.params.id, limit: query.limit, cursor: query.cursor })));
  });

  return router;
}

function presentPage(page: ActivityPage) {
  return { items: page.entries.map(activityJson), next_cursor: page.nextCursor };
}
