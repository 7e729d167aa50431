import { expect } from "chai";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import openapiTS, { COMMENT_HEADER, astToString } from "openapi-typescript";
import sharp from "sharp";
import { api, newUser, settled, type TestUser } from "./helpers";
import { checkAnswer, liveContract } from "./rest-client";
import { testService } from "./setup";

const ROOT = path.resolve(__dirname, "..");

/**
 * The /v1 contract as a consumer meets it: the served document is the committed one, lints clean
 * with Redocly's recommended rules, generates the committed client types, and every operation,
 * given each documented input made invalid in turn (and no token), answers as documented: a
 * documented status, a body valid against it, VALIDATION_FAILED for a value its schema refuses,
 * never a 5xx.
 */
describe("the /v1 OpenAPI contract", function () {
  this.timeout(120_000);

  it("serves the committed docs/openapi.json, from which the committed client types are generated", async () => {
    const { doc } = await liveContract();
    const committed = JSON.parse(await fs.readFile(path.join(ROOT, "docs/openapi.json"), "utf8"));
    expect(doc, "docs/openapi.json is stale: run npm run openapi").to.deep.equal(committed);
    const types = COMMENT_HEADER + astToString(await openapiTS(doc));
    expect(types === (await fs.readFile(path.join(ROOT, "test/generated/v1.d.ts"), "utf8")), "test/generated/v1.d.ts is stale: run npm run openapi").to.equal(true);
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item as Record<string, { operationId?: string }>));
    expect(operations.every((op) => typeof op.operationId === "string")).to.equal(true);
    expect(new Set(operations.map((op) => op.operationId)).size).to.equal(operations.length);
  });

  it("lints clean with Redocly's recommended rules", async () => {
    const { stdout, stderr } = await promisify(execFile)(path.join(ROOT, "node_modules/.bin/redocly"), ["lint", "docs/openapi.json", "--format=summary"], { cwd: ROOT });
    const output = `${stdout}${stderr}`;
    expect(output).to.match(/valid/i);
    expect(output).to.not.match(/\b[1-9]\d* (errors?|warnings?)\b/);
  });

  describe("every operation with invalid inputs", () => {
    let user: TestUser;
    let ids: Record<string, string>;

    before(async () => {
      user = await newUser();
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(await sharp({ create: { width: 40, height: 30, channels: 3, background: "#357" } }).png().toBuffer())]), "contract.png");
      const asset = await (await fetch(`${testService().baseUrl}/v1/assets/upload`, { method: "POST", headers: user.auth, body: form })).json();
      await settled(user, asset.asset_id);
      const folder = (await api(user, "POST", "/v1/assets/folders", { name: "contract" })).body;
      const tag = (await api(user, "POST", "/v1/assets/tags", { name: "contract" })).body;
      ids = { asset: asset.asset_id, folder: folder.folder_id, tag: tag.tag_id };
    });

    /** A value the parameter's schema accepts, for the parameters not under test. */
    function validPathValue(template: string, name: string): string {
      if (name === "id") return template.startsWith("/v1/assets/folders/") ? ids.folder : template.startsWith("/v1/assets/tags/") ? ids.tag : template.startsWith("/v1/uploads") ? randomUUID() : ids.asset;
      return ({ v: "1", kind: "thumbnail", resource_type: "project", resource_id: randomUUID(), asset_id: ids.asset, version: "1", variant: "original" } as Record<string, string>)[name] ?? "x";
    }

    /** A value the schema refuses, and whether refusing it is the schema's (so VALIDATION_FAILED), in a query string or path. */
    function invalidText(schema: any): { value: string; refused: boolean } | undefined {
      if (schema.enum) return { value: "not-one-of-them", refused: true };
      if (schema.type === "integer") return { value: "1.5", refused: true };
      if (schema.maxLength) return { value: "x".repeat(schema.maxLength + 1), refused: true };
      if (schema.type === "string" && !schema.enum) return { value: "no such thing", refused: false };
      return undefined;
    }

    /** In a JSON body: the wrong type for the property. */
    function invalidJson(schema: any): unknown {
      const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
      if (schema.enum) return "not-one-of-them";
      if (type === "string") return 42;
      if (type === "array") return 42;
      if (type === "integer") return 1.5;
      if (type === "boolean") return "yes";
      return undefined;
    }

    function validJson(schema: any): unknown {
      const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
      if (schema.enum) return schema.enum[0];
      return type === "array" ? [] : type === "integer" ? 1 : type === "boolean" ? false : type === "object" ? {} : `contract ${randomUUID().slice(0, 8)}`;
    }

    async function send(method: string, template: string, input: { path: Record<string, string>; query: Record<string, string>; headers?: Record<string, string>; body?: string; auth?: boolean }) {
      const url = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(input.path[name]));
      const query = new URLSearchParams(input.query).toString();
      const response = await fetch(`${testService().baseUrl}${url}${query ? `?${query}` : ""}`, {
        method: method.toUpperCase(),
        headers: { ...(input.auth === false ? {} : user.auth), ...(input.body !== undefined ? { "Content-Type": "application/json" } : {}), ...input.headers },
        body: input.body,
      });
      await checkAnswer(method, template, response);
      return response;
    }

    it("answers each as documented, refusing what the schemas refuse with VALIDATION_FAILED", async () => {
      const { doc } = await liveContract();
      const resolve = (schema: any) => (schema?.$ref ? doc.components.schemas[schema.$ref.split("/").pop()] : schema);
      let cases = 0;
      for (const [template, item] of Object.entries<any>(doc.paths)) {
        for (const [method, op] of Object.entries<any>(item)) {
          const parameters: any[] = op.parameters ?? [];
          const valid = { path: {} as Record<string, string>, query: {} as Record<string, string> };
          for (const p of parameters.filter((p) => p.in === "path")) valid.path[p.name] = validPathValue(template, p.name);
          for (const p of parameters.filter((p) => p.in === "query" && p.required)) valid.query[p.name] = "1";
          const jsonBody = resolve(op.requestBody?.content?.["application/json"]?.schema);
          const validBody = jsonBody ? Object.fromEntries((jsonBody.required ?? []).map((name: string) => [name, validJson(jsonBody.properties[name])])) : undefined;
          const body = (value: unknown) => (jsonBody ? JSON.stringify(value) : undefined);

          // No token, on an operation that needs one: 401.
          if (op.security?.length !== 0) {
            expect((await send(method, template, { ...valid, body: body(validBody), auth: false })).status, `${method} ${template} without a token`).to.equal(401);
            cases++;
          }
          for (const p of parameters.filter((p) => p.in === "path" || p.in === "query")) {
            const bad = invalidText(resolve(p.schema));
            if (!bad) continue;
            const input = { path: { ...valid.path }, query: { ...valid.query }, body: body(validBody) };
            (p.in === "path" ? input.path : input.query)[p.name] = bad.value;
            const response = await send(method, template, input);
            if (bad.refused) expect(response.status, `${method} ${template} with ${p.name}=${bad.value}`).to.equal(400);
            cases++;
          }
          if (!jsonBody) continue;
          for (const raw of ["[]", "{not json", "null"]) {
            expect((await send(method, template, { ...valid, body: raw })).status, `${method} ${template} with body ${raw}`).to.equal(400);
            cases++;
          }
          for (const [name, schema] of Object.entries<any>(jsonBody.properties ?? {})) {
            const wrong = invalidJson(resolve(schema));
            if (wrong === undefined) continue;
            const response = await send(method, template, { ...valid, body: JSON.stringify({ ...validBody, [name]: wrong }) });
            expect(response.status, `${method} ${template} with ${name}: ${JSON.stringify(wrong)}`).to.equal(400);
            expect((await response.json()).error.details.fields).to.have.property(name);
            cases++;
          }
        }
      }
      expect(cases, "cases walked").to.be.greaterThan(100);
    });
  });
});
