import { MemoryLocker } from "@tus/server";
import { ERRORS, type Lock, type Locker, type RequestRelease } from "@tus/utils";
import pg from "pg";
import type { Logger } from "pino";

/** The first key of every advisory lock taken here (the second is the upload id's hash). */
const LOCK_NAMESPACE = 0x7475_7301; // "tus" + 1
const RELEASE_CHANNEL = "tus_lock_release";
const RETRY_MS = 50;

/**
 * tus upload locks that hold across API nodes: a PostgreSQL advisory lock per upload, taken on
 * one session this process keeps open. A request that finds an upload locked asks the holder to
 * let go (NOTIFY, which every node LISTENs for), as @tus/server's in-process MemoryLocker does
 * within one process: a client resuming after a dropped connection must not wait for the dead
 * request's lock. Within this process a MemoryLocker comes first, so the session (where
 * advisory locks are re-entrant) never holds one upload twice. Should the session drop,
 * PostgreSQL releases its locks; the next lock opens a new session.
 */
export class PgLocker implements Locker {
  private readonly local: MemoryLocker;
  private session: Promise<pg.Client> | undefined;
  /** Locks this process holds, by upload id: how to ask their request to finish. */
  private readonly holders = new Map<string, RequestRelease>();

  constructor(
    private readonly connectionString: string,
    private readonly log: Logger,
    private readonly acquireTimeoutMs = 30_000,
  ) {
    this.local = new MemoryLocker({ acquireLockTimeout: acquireTimeoutMs });
  }

  newLock(id: string): Lock {
    const local = this.local.newLock(id);
    return {
      lock: async (signal, requestRelease) => {
        await local.lock(signal, requestRelease);
        try {
          await this.acquire(id, signal, requestRelease);
        } catch (error) {
          await local.unlock();
          throw error;
        }
      },
      unlock: async () => {
        try {
          await this.release(id);
        } finally {
          await local.unlock();
        }
      },
    };
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    if (session) await (await session.catch(() => undefined))?.end().catch(() => undefined);
  }

  private async acquire(id: string, signal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const deadline = Date.now() + this.acquireTimeoutMs;
    let asked = false;
    for (;;) {
      const session = await this.connect();
      const { rows } = await session.query(`SELECT pg_try_advisory_lock($1::int, hashtext($2)) AS ok`, [LOCK_NAMESPACE, id]);
      if (rows[0].ok) {
        this.holders.set(id, requestRelease);
        return;
      }
      if (!asked) {
        await session.query(`SELECT pg_notify($1, $2)`, [RELEASE_CHANNEL, id]);
        asked = true;
      }
      if (signal.aborted || Date.now() > deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }

  private async release(id: string): Promise<void> {
    if (!this.holders.delete(id)) return;
    const session = await this.session?.catch(() => undefined);
    await session?.query(`SELECT pg_advisory_unlock($1::int, hashtext($2))`, [LOCK_NAMESPACE, id]);
  }

  private connect(): Promise<pg.Client> {
    this.session ??= (async () => {
      const client = new pg.Client({ connectionString: this.connectionString, application_name: "asset-library tus locks" });
      client.on("error", (error) => {
        // The server ended the session, and with it every lock it held.
        this.log.warn({ err: error }, "tus lock session lost");
        this.holders.clear();
        this.session = undefined;
      });
      client.on("notification", (message) => {
        if (message.payload) void this.holders.get(message.payload)?.();
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${RELEASE_CHANNEL}`);
      } catch (error) {
        this.session = undefined;
        await client.end().catch(() => undefined);
        throw error;
      }
      return client;
    })();
    return this.session;
  }
}
