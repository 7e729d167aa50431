import "reflect-metadata";
import type { Server } from "node:http";
import { createHttpApp } from "./app";
import { signToken } from "./auth/tokens";
import { startRuntime } from "./bootstrap";
import { loadProcessConfig, type Config } from "./config";
import { listen } from "./http/server";
import { createLogger } from "./logger";
import { guardProcess } from "./process-guard";
import { stopOnSignals } from "./shutdown";
import { explainStartupFailure } from "./startup-errors";

/** The demo user whose token is printed at start-up when no AUTH_SECRET is configured. */
const DEMO_USER_ID = "00000000-0000-4000-8000-000000000001";

async function main(): Promise<void> {
  const config = loadProcessConfig();
  const log = createLogger(config);
  guardProcess(log);
  const runtime = await startRuntime(config, log, { workers: config.workerConcurrency });
  // A demo token is for a newcomer's own machine: never printed in production or with a configured secret.
  const demoToken = config.authSecret || config.env === "production" ? undefined : await signToken(runtime.authSecret, DEMO_USER_ID);
  const loopback = ["127.0.0.1", "localhost", "::1"].includes(config.host);
  const http = await createHttpApp(runtime.services, log, {
    // Only a server nobody else can reach pre-fills GraphiQL with the demo token.
    graphiqlHeaders: demoToken && loopback ? { Authorization: `Bearer ${demoToken}` } : undefined,
  });
  const server: Server = await listen(http.app, config);
  http.serveSubscriptions(server);

  const lines = [
    `Asset Library is listening on ${config.publicUrl}`,
    `  GraphQL:  ${config.publicUrl}/graphql`,
    `  GraphiQL: ${config.publicUrl}/graphiql`,
    `  REST:     ${config.publicUrl}/v1/assets`,
    `  Database: ${runtime.database.kind === "embedded" ? `embedded PostgreSQL in ${config.dataDir}/postgres` : "DATABASE_URL"}`,
  ];
  if (demoToken) lines.push(`  Demo token (user ${DEMO_USER_ID}):`, `  ${demoToken}`);
  process.stdout.write(`${lines.join("\n")}\n`);

  stopOnSignals(log, async () => {
    server.close();
    server.closeIdleConnections();
    await http.stop();
    await runtime.close();
  });
}

main().catch((error) => {
  let config: Config | undefined;
  try {
    config = loadProcessConfig();
  } catch {
    config = undefined;
  }
  const explained = explainStartupFailure(error, config);
  console.error(explained ? `Asset Library could not start: ${explained}` : error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
