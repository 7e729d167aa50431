import type { Server } from "node:http";
import express, { type Express } from "express";
import { createHttpApp } from "../src/app";
import type { Config } from "../src/config";
import { freePort } from "../src/free-port";
import { createLogger } from "../src/logger";
import { testService } from "./setup";

export interface ExtraApp {
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * A second HTTP app over the test service's runtime, on its own loopback port: with some
 * configuration changed (CORS origins, a metrics token), GraphiQL headers, or pages of a test's
 * own served before it (`site`), as a frontend's would be from the same origin.
 */
export async function startExtraApp(
  options: { config?: Partial<Config>; graphiqlHeaders?: Record<string, string>; site?: (app: Express) => void } = {},
): Promise<ExtraApp> {
  const services = testService().runtime.services;
  const http = await createHttpApp({ ...services, config: { ...services.config, ...options.config } }, createLogger({ logLevel: "silent" }), { graphiqlHeaders: options.graphiqlHeaders });
  const app = express();
  options.site?.(app);
  app.use(http.app);
  const port = await freePort();
  const server: Server = app.listen(port, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  http.serveSubscriptions(server);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      // Subscription sockets first: an upgraded socket is no longer the server's to close.
      await http.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
