import { Router, json } from "express";
import { parseSearch, type RawSearch } from "../assets/search-input";
import { validationFailed } from "../errors";
import type { Services } from "../services";
import { presentSearch } from "./asset.presenter";
import { booleanParam, nullableString, objectBody, optionalString } from "./params";
import { presentFolder, presentTag } from "./folder-tag.presenter";
import { locals } from "./request-context";

/** /v1/assets/folders... and /v1/assets/tags...; mounted before /v1/assets/{id}. */
export function folderAndTagRoutes(services: Services): Router {
  const router = Router();
  const { folders, tags } = services;
  const body = json({ limit: "64kb" });

  router.get("/assets/folders", async (req, res) => {
    const { userId } = locals(res);
    const parent = typeof req.query.parent_id === "string" ? req.query.parent_id : undefined;
    const list = parent === undefined ? await folders.all(userId) : await folders.children(userId, parent === "root" ? null : parent);
    res.json({ items: list.map(presentFolder) });
  });

  router.post("/assets/folders", body, async (req, res) => {
    const b = objectBody(req.body);
    const name = optionalString(b, "name");
    if (name === undefined) throw validationFailed({ name: "is required" });
    const folder = await folders.create(locals(res).userId, {
      name,
      parentId: nullableString(b, "parent_folder_id"),
      description: nullableString(b, "description"),
      color: nullableString(b, "color"),
    });
    res.status(201).json(presentFolder(folder));
  });

  router.put("/assets/folders/:id", body, async (req, res) => {
    const b = objectBody(req.body);
    const folder = await folders.update(locals(res).userId, req.params.id, {
      name: optionalString(b, "name"),
      parentId: nullableString(b, "parent_folder_id"),
      description: nullableString(b, "description"),
      color: nullableString(b, "color"),
    });
    res.json(presentFolder(folder));
  });

  router.delete("/assets/folders/:id", async (req, res) => {
    const result = await folders.delete(locals(res).userId, req.params.id, booleanParam(req.query.force, "force"));
    res.json({ deleted_folders: result.deletedFolders, deleted_assets: result.deletedAssets });
  });

  router.get("/assets/folders/:id/contents", async (req, res) => {
    const { userId, loaders } = locals(res);
    const folder = await folders.get(userId, req.params.id);
    const subfolders = await folders.children(userId, folder.id);
    const search = parseSearch({ ...(req.query as RawSearch), folder_id: folder.id });
    res.json({
      folder: presentFolder(folder),
      subfolders: subfolders.map(presentFolder),
      assets: await presentSearch(await services.search.search(userId, search), loaders, services.urls),
    });
  });

  router.get("/assets/tags", async (_req, res) => {
    res.json({ items: (await tags.list(locals(res).userId)).map(presentTag) });
  });

  router.post("/assets/tags", body, async (req, res) => {
    const b = objectBody(req.body);
    const name = optionalString(b, "name");
    if (name === undefined) throw validationFailed({ name: "is required" });
    res.status(201).json(presentTag(await tags.create(locals(res).userId, { name, color: nullableString(b, "color") })));
  });

  router.post("/assets/tags/bulk", body, async (req, res) => {
    const b = objectBody(req.body);
    const applied = await tags.tagAssets(locals(res).userId, b.asset_ids as string[], b.tags as string[]);
    res.json({ tags: applied.map(presentTag) });
  });

  router.put("/assets/tags/:id", body, async (req, res) => {
    const b = objectBody(req.body);
    const tag = await tags.update(locals(res).userId, req.params.id, { name: optionalString(b, "name"), color: nullableString(b, "color") });
    res.json(presentTag(tag));
  });

  router.delete("/assets/tags/:id", async (req, res) => {
    res.json(presentTag(await tags.delete(locals(res).userId, req.params.id)));
  });

  router.post("/assets/:id/tags", body, async (req, res) => {
    const applied = await tags.tagAssets(locals(res).userId, [req.params.id], objectBody(req.body).tags as string[]);
    res.json({ tags: applied.map(presentTag) });
  });

  router.delete("/assets/:id/tags", body, async (req, res) => {
    await tags.untagAssets(locals(res).userId, [req.params.id], objectBody(req.body).tags as string[]);
    res.status(204).end();
  });

  return router;
}
