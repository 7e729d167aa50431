import { Router, json } from "express";
import type { Services } from "../services";
import { ORGANISE_OPERATIONS as op } from "./contract/organise-operations";
import { mount } from "./contract/route";
import { presentTag } from "./folder-tag.presenter";
import { changeContext, locals } from "./request-context";

/** /v1/assets/tags… and an asset's tags; mounted before /v1/assets/{id}. */
export function tagRoutes(services: Services): Router {
  const router = Router();
  const { tags } = services;
  const body = json({ limit: "64kb" });

  mount(router, op.listTags, async (_req, res) => {
    res.json({ items: (await tags.list(locals(res).userId)).map(presentTag) });
  });

  mount(router, op.createTag, async (_req, res, { body: b }) => {
    res.status(201).json(presentTag(await tags.create(locals(res).userId, { name: b.name, color: b.color })));
  }, body);

  mount(router, op.tagAssetsInBulk, async (req, res, { body: b }) => {
    const applied = await tags.tagAssets(locals(res).userId, b.asset_ids, b.tags, changeContext(req));
    res.json({ tags: applied.map(presentTag) });
  }, body);

  mount(router, op.updateTag, async (req, res, { body: b }) => {
    res.json(presentTag(await tags.update(locals(res).userId, req.params.id, { name: b.name, color: b.color })));
  }, body);

  mount(router, op.deleteTag, async (req, res) => {
    res.json(presentTag(await tags.delete(locals(res).userId, req.params.id, changeContext(req))));
  });

  mount(router, op.tagAsset, async (req, res, { body: b }) => {
    const applied = await tags.tagAssets(locals(res).userId, [req.params.id], b.tags, changeContext(req));
    res.json({ tags: applied.map(presentTag) });
  }, body);

  mount(router, op.untagAsset, async (req, res, { body: b }) => {
    await tags.untagAssets(locals(res).userId, [req.params.id], b.tags, changeContext(req));
    res.status(204).end();
  }, body);

  return router;
}
