import { expect } from "chai";
import { randomUUID } from "node:crypto";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import sharp from "sharp";
import { newUser, settled, type TestUser } from "./helpers";
import { testService } from "./setup";

/**
 * Walks every path of the /v1 API (the spec's 23 and API.md's additions) with real uploads and
 * validates each live response, status and body, against the OpenAPI document the server serves.
 */
describe("the /v1 API against its OpenAPI document", function () {
  this.timeout(120_000);
  let doc: any;
  let ajv: Ajv2020;
  let user: TestUser;
  const exercised = new Set<string>();

  before(async () => {
    doc = await (await fetch(`${testService().baseUrl}/v1/openapi.json`)).json();
    ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...doc, $id: "openapi" });
    user = await newUser();
  });

  const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

  /** Calls one operation and checks its answer against the document; returns the parsed body. */
  async function call(method: string, template: string, params: Record<string, string>, init: { json?: unknown; form?: FormData; body?: Buffer; query?: string; headers?: Record<string, string>; auth?: boolean } = {}) {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => params[name]);
    const response = await fetch(`${testService().baseUrl}${path}${init.query ?? ""}`, {
      method,
      headers: { ...(init.auth === false ? {} : user.auth), ...(init.json !== undefined ? { "Content-Type": "application/json" } : {}), ...init.headers },
      body: init.form ?? (init.body ? new Uint8Array(init.body) : init.json !== undefined ? JSON.stringify(init.json) : undefined),
    });
    const operation = doc.paths[template]?.[method.toLowerCase()];
    expect(operation, `${method} ${template} is documented`).to.not.equal(undefined);
    const documented = operation.responses[String(response.status)];
    const text = Buffer.from(await response.arrayBuffer());
    expect(documented, `${method} ${template} answered ${response.status}: ${text.toString().slice(0, 200)}`).to.not.equal(undefined);
    exercised.add(`${method.toLowerCase()} ${template}`);
    if (documented.content?.["application/json"]) {
      const body = JSON.parse(text.toString());
      const validate = ajv.getSchema(`openapi#/${pointer("paths", template, method.toLowerCase(), "responses", String(response.status), "content", "application/json", "schema")}`)!;
      expect(validate(body), `${method} ${template} ${response.status}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
      return { status: response.status, body };
    }
    return { status: response.status, body: text };
  }

  const upload = async (n: number, fields: Record<string, string> = {}) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    const png = await sharp({ create: { width: 90 + n, height: 60, channels: 3, background: { r: n * 20, g: 90, b: 30 } } }).png().toBuffer();
    form.append("file", new Blob([new Uint8Array(png)]), `walk${n}.png`);
    return form;
  };

  it("every path answers with documented statuses and bodies", async () => {
    // Folders and tags first, so assets can go in them.
    const folder = (await call("POST", "/v1/assets/folders", {}, { json: { name: "Walk", color: "#abc" } })).body;
    await call("PUT", "/v1/assets/folders/{id}", { id: folder.folder_id }, { json: { description: "walked" } });
    await call("GET", "/v1/assets/folders", {});
    const tag = (await call("POST", "/v1/assets/tags", {}, { json: { name: "walk" } })).body;
    await call("PUT", "/v1/assets/tags/{id}", { id: tag.tag_id }, { json: { color: "#123456" } });
    await call("GET", "/v1/assets/tags", {});

    const asset = (await call("POST", "/v1/assets/upload", {}, { form: await upload(1, { folder_id: folder.folder_id, tags: "walk" }) })).body;
    const id = asset.asset_id;
    await call("POST", "/v1/assets/upload", {}, { form: await upload(1, { on_duplicate: "link" }) });
    await call("POST", "/v1/assets/upload", {}, { form: await upload(1) }); // 409 DUPLICATE_ASSET
    await settled(user, id);
    await call("GET", "/v1/assets", {}, { query: "?asset_type=image&sort=name" });
    await call("POST", "/v1/assets/search", {}, { json: { query: "walk", tags: ["walk"] } });
    await call("GET", "/v1/assets/{id}", { id });
    await call("PUT", "/v1/assets/{id}", { id }, { json: { name: "Walked" } });
    await call("GET", "/v1/assets/{id}/download", { id });
    await call("GET", "/v1/assets/{id}/derivatives/{kind}", { id, kind: "thumbnail" });
    await call("GET", "/v1/assets/folders/{id}/contents", { id: folder.folder_id });

    const form = await upload(2);
    form.append("change_description", "second");
    await call("POST", "/v1/assets/{id}/versions", { id }, { form });
    await settled(user, id);
    await call("GET", "/v1/assets/{id}/versions", { id });
    await call("GET", "/v1/assets/{id}/versions/{v}", { id, v: "1" });
    await call("GET", "/v1/assets/{id}/versions/{v}/download", { id, v: "1" });
    await call("GET", "/v1/assets/{id}/versions/{v}/derivatives/{kind}", { id, v: "2", kind: "preview" });
    await call("GET", "/v1/assets/{id}/versions/compare", { id }, { query: "?from=1&to=2" });
    await call("POST", "/v1/assets/{id}/versions/{v}/rollback", { id, v: "1" });
    await call("DELETE", "/v1/assets/{id}/versions/{v}", { id, v: "1" }); // 409: current
    await call("DELETE", "/v1/assets/{id}/versions/{v}", { id, v: "2" });

    const other = (await call("POST", "/v1/assets/upload", {}, { form: await upload(3) })).body.asset_id;
    await call("POST", "/v1/assets/{id}/tags", { id: other }, { json: { tags: ["walk", "extra"] } });
    await call("DELETE", "/v1/assets/{id}/tags", { id: other }, { json: { tags: ["extra"] } });
    await call("POST", "/v1/assets/tags/bulk", {}, { json: { asset_ids: [id, other], tags: ["bulk"] } });

    const project = randomUUID();
    await call("PUT", "/v1/references/{resource_type}/{resource_id}", { resource_type: "project", resource_id: project }, { json: { references: [{ asset_id: id, usage_type: "thumbnail" }] } });
    await call("GET", "/v1/assets/{id}/references", { id });
    await call("GET", "/v1/assets/stats", {});
    await call("DELETE", "/v1/assets/{id}", { id }); // 409 ASSET_IN_USE
    await call("DELETE", "/v1/references/{resource_type}/{resource_id}", { resource_type: "project", resource_id: project });

    const urls = (await call("GET", "/v1/assets/{id}/urls", { id })).body;
    const signed = new URL(urls.download.url);
    const [, , , assetId, version, variant] = signed.pathname.split("/");
    await call("GET", "/v1/files/{asset_id}/{version}/{variant}", { asset_id: assetId, version, variant }, { query: signed.search, auth: false });
    await call("GET", "/v1/files/{asset_id}/{version}/{variant}", { asset_id: assetId, version, variant }, { query: signed.search.replace("sig=", "sig=x"), auth: false }); // 403

    // Resumable uploads (tus): discovery, creation, offset, one chunk, the outcome, termination.
    const tus = { "Tus-Resumable": "1.0.0" };
    const png = await sharp({ create: { width: 70, height: 70, channels: 3, background: "#0a0" } }).png().toBuffer();
    const metadata = `filename ${Buffer.from("tus.png").toString("base64")}`;
    await call("OPTIONS", "/v1/uploads", {}, { auth: false });
    await call("POST", "/v1/uploads", {}, { headers: { ...tus, "Upload-Length": String(20 * 1024 * 1024), "Upload-Metadata": metadata } }); // 413
    const created = await fetch(`${testService().baseUrl}/v1/uploads`, { method: "POST", headers: { ...user.auth, ...tus, "Upload-Length": String(png.length), "Upload-Metadata": metadata } });
    const uploadId = created.headers.get("location")!.split("/").pop()!;
    await call("POST", "/v1/uploads", {}, { headers: { ...tus, "Upload-Length": "1", "Upload-Metadata": `filename ${Buffer.from("x.png").toString("base64")}` } });
    await call("OPTIONS", "/v1/uploads/{id}", { id: uploadId }, { auth: false });
    await call("HEAD", "/v1/uploads/{id}", { id: uploadId }, { headers: tus });
    await call("GET", "/v1/uploads/{id}", { id: uploadId });
    await call("PATCH", "/v1/uploads/{id}", { id: uploadId }, { headers: { ...tus, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream", "Upload-Checksum": "sha256 " + Buffer.alloc(32).toString("base64") }, body: png }); // 460
    await call("PATCH", "/v1/uploads/{id}", { id: uploadId }, { headers: { ...tus, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream" }, body: png });
    await call("GET", "/v1/uploads/{id}", { id: uploadId });
    await call("DELETE", "/v1/uploads/{id}", { id: uploadId }, { headers: tus });

    await call("DELETE", "/v1/assets/{id}", { id: other });
    await call("POST", "/v1/assets/{id}/restore", { id: other });
    await call("DELETE", "/v1/assets/folders/{id}", { id: folder.folder_id }, { query: "?force=true" });
    await call("DELETE", "/v1/assets/tags/{id}", { id: tag.tag_id });
    await call("GET", "/v1/assets/{id}", { id: randomUUID() }); // 404
    await call("GET", "/v1/assets", {}, { auth: false }); // 401
  });

  it("documents nothing that was not walked", () => {
    const documented = Object.entries(doc.paths).flatMap(([template, ops]) => Object.keys(ops as object).map((method) => `${method} ${template}`));
    expect(documented.filter((op) => !exercised.has(op))).to.deep.equal([]);
    expect(doc.openapi).to.equal("3.1.0");
  });
});
