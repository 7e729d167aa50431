import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { MIME_TYPES } from "../../assets/asset-types";
import type { Answer, Operation } from "./operation";
import { OPERATIONS, errorCodesOf } from "./operations";
import { binary, errorBody } from "./schemas";
import { z } from "./zod";

/** What a file route can send: every stored format's own type and the derivatives' (WebP, PNG, MP4, MP3, waveform JSON). */
export const FILE_TYPES = [...new Set([...Object.values(MIME_TYPES), "image/avif", "application/json"])].sort();

const TAGS = [
  { name: "Assets", description: "Upload, search, read, change and delete assets" },
  { name: "Versions", description: "An asset's history: new versions, rollback, comparison" },
  { name: "Folders", description: "A tree of folders, up to five levels deep, with kept asset counts" },
  { name: "Tags", description: "Named, coloured labels with kept usage counts" },
  { name: "References", description: "Which projects, templates and batches use which assets" },
  { name: "Files", description: "Downloads, derivatives and signed URLs (Range, ETag and conditional requests supported)" },
  { name: "Resumable uploads", description: "tus 1.0 at /v1/uploads (creation, creation-with-upload, termination, expiration, checksum)" },
  { name: "Activity", description: "The audit trail: every change to an asset, who made it, and the request that carried it" },
  { name: "Webhooks", description: "Signed POSTs (Standard Webhooks) of asset events to the caller's endpoints, with a delivery log" },
  { name: "Meta", description: "This description" },
];

/** The /v1 API as an OpenAPI 3.1 document, built from the same operation definitions the routes validate with. */
export function openApiDocument(): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "A token signed with AUTH_SECRET whose subject is the user's id" });
  for (const op of Object.values(OPERATIONS)) registry.registerPath(route(op, bearer.name));
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Asset Library /v1",
      version: "1.0.0",
      description: "The REST API over the same services as the GraphQL API at /graphql. Errors are `{\"error\": {\"code\", \"message\", \"details\"}}` with the codes listed per response.",
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    // Relative: the host that served this document (PUBLIC_URL behind a proxy) is the API.
    servers: [{ url: "/", description: "The host serving this document" }],
    security: [{ [bearer.name]: [] }],
    tags: TAGS,
  });
  return document as unknown as Record<string, unknown>;
}

function route(op: Operation, bearer: string): RouteConfig {
  const responses: Record<string, ResponseConfig> = {};
  for (const [status, answer] of Object.entries(op.answers)) responses[status] = response(answer);
  for (const [status, codes] of errorCodesOf(op)) {
    const error = { schema: errorBody(codes as [string, ...string[]]) };
    // A status the operation also answers in its own way (tus's plain-text refusals) carries both bodies.
    const own = responses[status];
    responses[status] = own
      ? { ...own, description: `${own.description}; or the API error ${codes.join(", ")}`, content: { ...own.content, "application/json": error } }
      : { description: codes.join(", "), content: { "application/json": error } };
  }
  return {
    method: op.method,
    path: op.path,
    operationId: op.operationId,
    summary: op.summary,
    description: op.description,
    tags: [op.tag],
    security: op.public ? [] : [{ [bearer]: [] }],
    request: {
      params: op.params,
      query: op.query,
      headers: op.headers,
      body: op.body
        ? { required: true, content: { "application/json": { schema: op.body } } }
        : op.multipart
          ? { required: true, content: { "multipart/form-data": { schema: op.multipart } } }
          : op.raw
            ? { required: true, description: op.raw.description, content: { [op.raw.contentType]: { schema: binary } } }
            : undefined,
    },
    responses,
  };
}

function response(answer: Answer): ResponseConfig {
  const headers = answer.headers ? z.object(Object.fromEntries(Object.entries(answer.headers).map(([name, h]) => [name, h.schema.openapi({ description: h.description })]))) : undefined;
  if (answer.json) return { description: answer.description, headers, content: { "application/json": { schema: answer.json } } };
  if (answer.text) return { description: answer.description, headers, content: { "text/plain": { schema: z.string() } } };
  if (answer.file) return { description: answer.description, headers, content: Object.fromEntries(FILE_TYPES.map((type) => [type, { schema: binary }])) };
  return { description: answer.description, headers };
}
