import type { Request, RequestHandler, Response, Router } from "express";
import type { ZodObject, z as Z } from "zod";
import { validationFailed } from "../../errors";
import type { Operation } from "./operation";

type Parsed<S> = S extends ZodObject ? Z.infer<S> : Record<string, never>;

/** A request checked against its operation: its path parameters, query and JSON body, parsed. */
export interface CheckedInput<O extends Operation> {
  params: Parsed<O["params"]>;
  query: Parsed<O["query"]>;
  body: Parsed<O["body"]>;
}

/** Express's path for an OpenAPI path: `/v1/assets/{id}` mounted under /v1 is `/assets/:id`. */
export function expressPath(path: string): string {
  return path.replace(/^\/v1/, "").replace(/\{(\w+)\}/g, ":$1");
}

/**
 * Mounts `op` on `router`: the request's path parameters, query string and JSON body are checked
 * against the operation's schemas (VALIDATION_FAILED naming each bad field) before `handler` runs
 * with them parsed. `before` runs ahead of the check (express.json for a JSON body).
 */
export function mount<O extends Operation>(
  router: Router,
  op: O,
  handler: (req: Request<Record<string, string>>, res: Response, input: CheckedInput<O>) => Promise<void> | void,
  ...before: RequestHandler[]
): void {
  // Express 5 passes a thrown error or a rejected promise to the error handler.
  router[op.method](expressPath(op.path), ...before, (req: Request, res: Response) => handler(req as Request<Record<string, string>>, res, check(op, req)));
}

export function check<O extends Operation>(op: O, req: Pick<Request, "params" | "query" | "body">): CheckedInput<O> {
  const problems: Record<string, string> = {};
  const parse = (schema: ZodObject | undefined, value: unknown, where: string) => {
    if (!schema) return {};
    if (where === "body" && (typeof value !== "object" || value === null || Array.isArray(value))) {
      problems.body = "must be a JSON object";
      return {};
    }
    const result = schema.safeParse(value ?? {});
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      const field = issue.path.length > 0 ? String(issue.path[0]) : where;
      problems[field] ??= issue.message;
    }
    return {};
  };
  const input = { params: parse(op.params, req.params, "params"), query: parse(op.query, req.query, "query"), body: parse(op.body, req.body, "body") };
  if (Object.keys(problems).length > 0) throw validationFailed(problems);
  return input as CheckedInput<O>;
}

/** A multipart upload's form fields, checked against the operation's form (the file part aside). */
export function checkFields(op: Operation, fields: Record<string, string | undefined>): void {
  if (!op.multipart) return;
  const result = op.multipart.omit({ file: true }).safeParse(fields);
  if (result.success) return;
  const problems: Record<string, string> = {};
  for (const issue of result.error.issues) problems[String(issue.path[0] ?? "fields")] ??= issue.message;
  throw validationFailed(problems);
}
