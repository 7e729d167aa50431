import { expect } from "chai";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./generated/v1";
import type { TestUser } from "./helpers";
import { testService } from "./setup";

/**
 * The /v1 API through a client generated from its own OpenAPI document (openapi-typescript's
 * types in test/generated/v1.d.ts, openapi-fetch at run time). Every answer is checked against the
 * live document as it arrives: its status and content type documented, a JSON body valid against
 * the schema of that status, never a 5xx. `exercised` records each operation answered.
 */
export type RestClient = ReturnType<typeof createClient<paths>>;

export const exercised = new Set<string>();

interface Contract {
  doc: any;
  ajv: Ajv2020;
}
let contract: Promise<Contract> | undefined;

/** The live document, fetched once per run, compiled for validation. */
export function liveContract(): Promise<Contract> {
  contract ??= (async () => {
    const doc = await (await fetch(`${testService().baseUrl}/v1/openapi.json`)).json();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ ...doc, $id: "openapi" });
    return { doc, ajv };
  })();
  return contract;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

/** Checks one answer of `method template` against the document; throws (failing the test) when it departs from it. */
export async function checkAnswer(method: string, template: string, response: Response): Promise<void> {
  const { doc, ajv } = await liveContract();
  const m = method.toLowerCase();
  const what = `${method.toUpperCase()} ${template} answered ${response.status}`;
  const operation = doc.paths[template]?.[m];
  expect(operation, `${method.toUpperCase()} ${template} is documented`).to.not.equal(undefined);
  expect(response.status, `${what}: no server error`).to.be.below(500);
  const documented = operation.responses[String(response.status)];
  const text = m === "head" ? "" : await response.clone().text();
  expect(documented, `${what} (undocumented): ${text.slice(0, 200)}`).to.not.equal(undefined);
  exercised.add(`${m} ${template}`);
  const type = response.headers.get("content-type")?.split(";")[0];
  if (m === "head" || response.status === 304) return;
  if (!documented.content) {
    expect(text, `${what}: a body where none is documented`).to.equal("");
    return;
  }
  expect(Object.keys(documented.content), `${what} with ${type}`).to.include(type);
  if (type !== "application/json" || !documented.content["application/json"]) return;
  const validate = ajv.getSchema(`openapi#/${pointer("paths", template, m, "responses", String(response.status), "content", "application/json", "schema")}`)!;
  const body = JSON.parse(text);
  expect(validate(body), `${what}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
}

const checkedAgainstDocument: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    await checkAnswer(request.method, schemaPath, response);
    return undefined;
  },
};

/** A client acting as `user` (or anonymous), every answer checked against the live document. */
export function restClient(user?: TestUser): RestClient {
  const client = createClient<paths>({ baseUrl: testService().baseUrl, headers: user?.auth });
  client.use(checkedAgainstDocument);
  return client;
}

/** A multipart body for an upload operation: the generated type names the file part a string (binary). */
export function multipart(fields: Record<string, string | Blob | undefined>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || name === "file") continue;
    form.append(name, value);
  }
  const file = fields.file;
  if (file instanceof Blob) form.append("file", file, (file as File).name ?? "file");
  return form;
}

/** The document's path template a concrete /v1 path falls under (literal segments win, as in the router). */
export async function templateFor(method: string, pathname: string): Promise<string | undefined> {
  const { doc } = await liveContract();
  const segments = pathname.split("/");
  const candidates = Object.keys(doc.paths).filter((template) => {
    const parts = template.split("/");
    return parts.length === segments.length && parts.every((part, i) => part.startsWith("{") || part === segments[i]) && doc.paths[template][method.toLowerCase()];
  });
  const literals = (template: string) => template.split("/").filter((part) => !part.startsWith("{")).length;
  return candidates.sort((a, b) => literals(b) - literals(a))[0];
}

/**
 * Holds an answer of any REST test to the document: a /v1 call whose method and path the
 * document has must answer as it says (see checkAnswer). Calls the document does not have (an
 * unknown path, a method it does not allow) are the error tests' own business.
 */
export async function checkRestAnswer(method: string, url: string, response: Response): Promise<void> {
  const { pathname } = new URL(url);
  if (!pathname.startsWith("/v1/")) return;
  const template = await templateFor(method, pathname);
  if (template) await checkAnswer(method, template, response);
}
