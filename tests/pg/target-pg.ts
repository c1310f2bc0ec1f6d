import { mkdtempSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import postgres from "postgres";
import { type EmbeddedPg, startEmbeddedPg } from "../../src/store/embedded-pg";

export interface TargetPg {
  pg: EmbeddedPg;
  /** The directory of its Unix socket: what the panel's host field takes. */
  socketDir: string;
  user: string;
  password: string;
  /** A superuser connection to `database`, outside the panel, for setting up and checking. */
  admin(database?: string): postgres.Sql;
  stop(): Promise<void>;
}

/** A second real Postgres (the bundled binaries), standing in for a user's own database server. */
export async function startTargetPg(): Promise<TargetPg> {
  const dir = mkdtempSync(join(tmpdir(), "od-pg-panel-"));
  const password = "target-secret";
  const pg = await startEmbeddedPg({ pgDir: join(dir, "pg"), password, logFile: join(dir, "postgres.log") });
  const opened: postgres.Sql[] = [];
  return {
    pg,
    socketDir: dirname(pg.socketPath),
    user: "opendray",
    password,
    admin(database = "postgres") {
      const sql = postgres({ path: pg.socketPath, user: "opendray", password, database, max: 2, onnotice: () => {} });
      opened.push(sql);
      return sql;
    },
    async stop() {
      await Promise.all(opened.map((s) => s.end({ timeout: 2 })));
      await pg.stop();
      try {
        rmSync(dirname(readlinkSync(join(dir, "pg", "data"))), { recursive: true, force: true });
      } catch {}
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
