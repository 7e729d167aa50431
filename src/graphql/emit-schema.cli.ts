import fs from "node:fs/promises";
import path from "node:path";
import { printSchema } from "graphql";
import { buildGraphQLSchema } from "./schema";

/** `npm run schema`: writes the emitted SDL to schema.graphql (a test fails when it drifts). */
async function main(): Promise<void> {
  const sdl = printSchema(await buildGraphQLSchema());
  await fs.writeFile(path.join(__dirname, "../../schema.graphql"), `${sdl}\n`);
  console.log("schema.graphql written");
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
