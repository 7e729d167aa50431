import { expect } from "chai";
import { randomUUID } from "node:crypto";
import sharp from "sharp";
import { newUser, settled, type TestUser } from "./helpers";
import { exercised, liveContract, multipart, restClient, type RestClient } from "./rest-client";

/**
 * Walks every operation of the /v1 API (the spec's 23 paths and API.md's additions) with real
 * uploads through the client generated from the document (test/rest-client.ts), which checks
 * each answer, status and body, against the document the server serves.
 */
describe("the /v1 API through its generated client", function () {
  this.timeout(120_000);
  let user: TestUser;
  let api: RestClient;

  before(async () => {
    user = await newUser();
    api = restClient(user);
    exercised.clear();
  });

  const png = (n: number) => sharp({ create: { width: 90 + n, height: 60, channels: 3, background: { r: n * 20, g: 90, b: 30 } } }).png().toBuffer();
  const file = async (n: number) => new File([new Uint8Array(await png(n))], `walk${n}.png`, { type: "image/png" });
  /** openapi-fetch sends a FormData body as it is; the generated type describes its fields. */
  const asForm = { bodySerializer: (body: Record<string, string | Blob | undefined>) => multipart(body) };
  const blob = (f: File) => f as unknown as string;

  it("every operation answers with documented statuses and bodies", async () => {
    // Folders and tags first, so assets can go in them.
    const folder = (await api.POST("/v1/assets/folders", { body: { name: "Walk", color: "#abc" } })).data!;
    await api.PUT("/v1/assets/folders/{id}", { params: { path: { id: folder.folder_id } }, body: { description: "walked" } });
    await api.GET("/v1/assets/folders", {});
    const tag = (await api.POST("/v1/assets/tags", { body: { name: "walk" } })).data!;
    await api.PUT("/v1/assets/tags/{id}", { params: { path: { id: tag.tag_id } }, body: { color: "#123456" } });
    await api.GET("/v1/assets/tags", {});

    const uploaded = await api.POST("/v1/assets/upload", { body: { file: blob(await file(1)), folder_id: folder.folder_id, tags: "walk" }, ...asForm });
    expect(uploaded.response.status).to.equal(201);
    const id = uploaded.data!.asset_id;
    expect((await api.POST("/v1/assets/upload", { body: { file: blob(await file(1)), on_duplicate: "link" }, ...asForm })).response.status).to.equal(200);
    expect((await api.POST("/v1/assets/upload", { body: { file: blob(await file(1)) }, ...asForm })).error?.error.code).to.equal("DUPLICATE_ASSET");
    await settled(user, id);
    const page = await api.GET("/v1/assets", { params: { query: { asset_type: "image", sort: "name" } } });
    expect(page.data!.items.map((a) => a.asset_id)).to.deep.equal([id]);
    await api.POST("/v1/assets/search", { body: { query: "walk", tags: ["walk"] } });
    await api.GET("/v1/assets/{id}", { params: { path: { id } } });
    expect((await api.PUT("/v1/assets/{id}", { params: { path: { id } }, body: { name: "Walked" } })).data!.name).to.equal("Walked");
    const original = await api.GET("/v1/assets/{id}/download", { params: { path: { id } }, parseAs: "arrayBuffer" });
    expect(Buffer.from(original.data!).equals(await png(1))).to.equal(true);
    await api.GET("/v1/assets/{id}/derivatives/{kind}", { params: { path: { id, kind: "thumbnail" } }, parseAs: "arrayBuffer" });
    await api.GET("/v1/assets/folders/{id}/contents", { params: { path: { id: folder.folder_id } } });

    const version = await api.POST("/v1/assets/{id}/versions", { params: { path: { id } }, body: { file: blob(await file(2)), change_description: "second" }, ...asForm });
    expect(version.data!.version.version_number).to.equal(2);
    await settled(user, id);
    await api.GET("/v1/assets/{id}/versions", { params: { path: { id } } });
    await api.GET("/v1/assets/{id}/versions/{v}", { params: { path: { id, v: 1 } } });
    await api.GET("/v1/assets/{id}/versions/{v}/download", { params: { path: { id, v: 1 } }, parseAs: "arrayBuffer" });
    await api.GET("/v1/assets/{id}/versions/{v}/derivatives/{kind}", { params: { path: { id, v: 2, kind: "preview" } }, parseAs: "arrayBuffer" });
    await api.GET("/v1/assets/{id}/versions/compare", { params: { path: { id }, query: { from: 1, to: 2 } } });
    await api.POST("/v1/assets/{id}/versions/{v}/rollback", { params: { path: { id, v: 1 } } });
    expect((await api.DELETE("/v1/assets/{id}/versions/{v}", { params: { path: { id, v: 1 } } })).error?.error.code).to.equal("CONFLICT");
    await api.DELETE("/v1/assets/{id}/versions/{v}", { params: { path: { id, v: 2 } } });

    const other = (await api.POST("/v1/assets/upload", { body: { file: blob(await file(3)) }, ...asForm })).data!.asset_id;
    await api.POST("/v1/assets/{id}/tags", { params: { path: { id: other } }, body: { tags: ["walk", "extra"] } });
    await api.DELETE("/v1/assets/{id}/tags", { params: { path: { id: other } }, body: { tags: ["extra"] } });
    await api.POST("/v1/assets/tags/bulk", { body: { asset_ids: [id, other], tags: ["bulk"] } });

    const project = { resource_type: "project" as const, resource_id: randomUUID() };
    await api.PUT("/v1/references/{resource_type}/{resource_id}", { params: { path: project }, body: { references: [{ asset_id: id, usage_type: "thumbnail" }] } });
    await api.GET("/v1/assets/{id}/references", { params: { path: { id } } });
    const similar = (await api.GET("/v1/assets/{id}/similar", { params: { path: { id: other }, query: { max_distance: 12, limit: 5 } } })).data!;
    expect(similar.items.every((item) => item.distance <= 12)).to.equal(true);
    await api.GET("/v1/assets/stats", {});
    expect((await api.DELETE("/v1/assets/{id}", { params: { path: { id } } })).error?.error.code).to.equal("ASSET_IN_USE");
    await api.DELETE("/v1/references/{resource_type}/{resource_id}", { params: { path: project } });

    const urls = (await api.GET("/v1/assets/{id}/urls", { params: { path: { id }, query: { expires_in: 600 } } })).data!;
    const signed = new URL(urls.download.url);
    const [, , , assetId, v, variant] = signed.pathname.split("/");
    const query = Object.fromEntries(signed.searchParams) as { user: string; expires: string; sig: string };
    const anonymous = restClient();
    await anonymous.GET("/v1/files/{asset_id}/{version}/{variant}", { params: { path: { asset_id: assetId, version: v, variant }, query }, parseAs: "arrayBuffer" });
    const tampered = await anonymous.GET("/v1/files/{asset_id}/{version}/{variant}", { params: { path: { asset_id: assetId, version: v, variant }, query: { ...query, sig: `x${query.sig}` } } });
    expect(tampered.error?.error.code).to.equal("INVALID_SIGNATURE");
    await anonymous.GET("/v1/openapi.json", {});

    // Transforms: the focal point, a render, its signed URL, fetched without a token.
    expect((await api.PUT("/v1/assets/{id}/focal-point", { params: { path: { id } }, body: { x: 0.25, y: 0.75 } })).data!.focal_point).to.deep.equal({ x: 0.25, y: 0.75 });
    const rendered = await api.GET("/v1/assets/{id}/render", { params: { path: { id }, query: { w: "40", h: "30", format: "png" } }, parseAs: "arrayBuffer" });
    expect((await sharp(Buffer.from(rendered.data!)).metadata()).width).to.equal(40);
    const renderUrl = new URL((await api.GET("/v1/assets/{id}/render-url", { params: { path: { id }, query: { w: "40", expires_in: 600 } } })).data!.url);
    const [, , , renderAsset, renderVersion] = renderUrl.pathname.split("/");
    const signedRender = await anonymous.GET("/v1/renders/{asset_id}/{version}", { params: { path: { asset_id: renderAsset, version: renderVersion }, query: Object.fromEntries(renderUrl.searchParams) }, parseAs: "arrayBuffer" });
    expect(signedRender.response.status).to.equal(200);
    expect((await api.DELETE("/v1/assets/{id}/focal-point", { params: { path: { id } } })).data!.focal_point).to.equal(null);

    // Resumable uploads (tus): discovery, creation, offset, one chunk, the outcome, termination.
    const tus = { "Tus-Resumable": "1.0.0" as const };
    const bytes = await sharp({ create: { width: 70, height: 70, channels: 3, background: "#0a0" } }).png().toBuffer();
    const metadata = `filename ${Buffer.from("tus.png").toString("base64")}`;
    await anonymous.OPTIONS("/v1/uploads", {});
    const tooLarge = await api.POST("/v1/uploads", { params: { header: { ...tus, "Upload-Length": String(20 * 1024 * 1024), "Upload-Metadata": metadata } } });
    expect(typeof tooLarge.error === "object" && tooLarge.error.error.code).to.equal("FILE_TOO_LARGE");
    const created = await api.POST("/v1/uploads", { params: { header: { ...tus, "Upload-Length": String(bytes.length), "Upload-Metadata": metadata } }, parseAs: "text" });
    const uploadId = created.response.headers.get("location")!.split("/").pop()!;
    await api.POST("/v1/uploads", { params: { header: { ...tus, "Upload-Length": "1", "Upload-Metadata": `filename ${Buffer.from("x.png").toString("base64")}` } }, parseAs: "text" });
    const upload = { path: { id: uploadId } };
    await anonymous.OPTIONS("/v1/uploads/{id}", { params: upload });
    await api.HEAD("/v1/uploads/{id}", { params: { ...upload, header: tus } });
    await api.GET("/v1/uploads/{id}", { params: upload });
    const chunk = { bodySerializer: () => new Uint8Array(bytes), headers: { "Content-Type": "application/offset+octet-stream" }, parseAs: "text" as const };
    const wrongSum = await api.PATCH("/v1/uploads/{id}", { params: { ...upload, header: { ...tus, "Upload-Offset": "0", "Upload-Checksum": `sha256 ${Buffer.alloc(32).toString("base64")}` } }, body: "", ...chunk });
    expect(wrongSum.response.status).to.equal(460);
    const wrongOffset = await api.PATCH("/v1/uploads/{id}", { params: { ...upload, header: { ...tus, "Upload-Offset": "5" } }, body: "", ...chunk });
    expect(wrongOffset.response.status).to.equal(409);
    expect((await api.HEAD("/v1/uploads/{id}", { params: { ...upload, header: {} as typeof tus } })).response.status, "without Tus-Resumable").to.equal(412);
    await api.PATCH("/v1/uploads/{id}", { params: { ...upload, header: { ...tus, "Upload-Offset": "0" } }, body: "", ...chunk });
    expect((await api.GET("/v1/uploads/{id}", { params: upload })).data!.status).to.equal("completed");
    await api.DELETE("/v1/uploads/{id}", { params: { ...upload, header: tus }, parseAs: "text" });

    // The audit trail and webhook endpoints.
    const trail = (await api.GET("/v1/activity", { params: { query: { limit: 5 } } })).data!;
    expect(trail.items).to.have.length(5);
    const history = (await api.GET("/v1/assets/{id}/activity", { params: { path: { id } } })).data!;
    expect(history.items.at(-1)!.type).to.equal("uploaded");
    const hook = (await api.POST("/v1/webhooks", { body: { url: "http://127.0.0.1:9/walk", events: ["asset.deleted"] } })).data!;
    expect(hook.secret).to.match(/^whsec_/);
    await api.GET("/v1/webhooks", {});
    await api.GET("/v1/webhooks/{id}", { params: { path: { id: hook.webhook_id } } });
    expect((await api.PATCH("/v1/webhooks/{id}", { params: { path: { id: hook.webhook_id } }, body: { enabled: false } })).data!.enabled).to.equal(false);
    await api.GET("/v1/webhooks/{id}/deliveries", { params: { path: { id: hook.webhook_id } } });
    await api.DELETE("/v1/webhooks/{id}", { params: { path: { id: hook.webhook_id } } });

    await api.DELETE("/v1/assets/{id}", { params: { path: { id: other } } });
    await api.POST("/v1/assets/{id}/restore", { params: { path: { id: other } } });
    await api.DELETE("/v1/assets/folders/{id}", { params: { path: { id: folder.folder_id }, query: { force: "true" } } });
    await api.DELETE("/v1/assets/tags/{id}", { params: { path: { id: tag.tag_id } } });
    expect((await api.GET("/v1/assets/{id}", { params: { path: { id: randomUUID() } } })).error?.error.code).to.equal("NOT_FOUND");
    expect((await anonymous.GET("/v1/assets", {})).error?.error.code).to.equal("UNAUTHENTICATED");
  });

  it("documents nothing that was not walked", async () => {
    const { doc } = await liveContract();
    const documented = Object.entries(doc.paths).flatMap(([template, ops]) => Object.keys(ops as object).map((method) => `${method} ${template}`));
    expect(documented.filter((op) => !exercised.has(op))).to.deep.equal([]);
    expect(doc.openapi).to.equal("3.1.0");
  });
});
