import { Router, json } from "express";
import { parseRestSearch } from "./search-request";
import type { Services } from "../services";
import { presentSearch } from "./asset.presenter";
import { ORGANISE_OPERATIONS as op } from "./contract/organise-operations";
import { mount } from "./contract/route";
import { presentFolder } from "./folder-tag.presenter";
import { isSet } from "./params";
import { changeContext, locals } from "./request-context";

/** /v1/assets/folders…; mounted before /v1/assets/{id}. */
export function folderRoutes(services: Services): Router {
  const router = Router();
  const { folders } = services;
  const body = json({ limit: "64kb" });

  mount(router, op.listFolders, async (_req, res, { query }) => {
    const { userId } = locals(res);
    const parent = query.parent_id;
    const list = parent === undefined ? await folders.all(userId) : await folders.children(userId, parent === "root" ? null : parent);
    res.json({ items: list.map(presentFolder) });
  });

  mount(
    router,
    op.createFolder,
    async (_req, res, { body: b }) => {
      const folder = await folders.create(locals(res).userId, { name: b.name, parentId: b.parent_folder_id, description: b.description, color: b.color });
      res.status(201).json(presentFolder(folder));
    },
    body,
  );

  mount(
    router,
    op.updateFolder,
    async (req, res, { body: b }) => {
      const folder = await folders.update(locals(res).userId, req.params.id, { name: b.name, parentId: b.parent_folder_id, description: b.description, color: b.color });
      res.json(presentFolder(folder));
    },
    body,
  );

  mount(router, op.deleteFolder, async (req, res, { query }) => {
    const result = await folders.delete(locals(res).userId, req.params.id, isSet(query.force), changeContext(req));
    res.json({ deleted_folders: result.deletedFolders, deleted_assets: result.deletedAssets });
  });

  mount(router, op.getFolderContents, async (req, res) => {
    const { userId, loaders } = locals(res);
    const folder = await folders.get(userId, req.params.id);
    const subfolders = await folders.children(userId, folder.id);
    const search = parseRestSearch({ ...(req.query as Record<string, unknown>), folder_id: folder.id });
    res.json({
      folder: presentFolder(folder),
      subfolders: subfolders.map(presentFolder),
      assets: await presentSearch(await services.search.search(userId, search, { extras: true }), loaders, services.urls),
    });
  });

  return router;
}
