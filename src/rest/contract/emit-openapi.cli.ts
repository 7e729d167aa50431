import fs from "node:fs/promises";
import path from "node:path";
import { openApiDocument } from "./document";

/**
 * `npm run openapi`: writes the /v1 document to docs/openapi.json (which Redocly lints in CI);
 * the script then generates the typed client's types from it (test/generated/v1.d.ts). A test
 * fails when either drifts from what the server serves.
 */
async function main(): Promise<void> {
  await fs.writeFile(path.join(__dirname, "../../../docs/openapi.json"), `${JSON.stringify(openApiDocument(), null, 2)}\n`);
  console.log("docs/openapi.json written");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
