import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { readConfigFile } from "../../src/config";
import { postmasterPid } from "../../src/store";
import { startServer, type TestServer, waitFor } from "../harness";
import { BotApiStub } from "../stubs/bot-api";
import { SessionSocket } from "../ws-client";

const BOT_TOKEN = "424242:secret-bot-token-for-the-environ-test";
const JWT_SECRET = "jwt-secret-that-must-never-leave-the-server-process-0123456789";
const DB_PASSWORD = "db-password-that-must-stay-in-the-server";
let api: BotApiStub;
let server: TestServer;

beforeAll(async () => {
  api = new BotApiStub().start();
  api.addBot(BOT_TOKEN);
  server = await startServer({
    env: {
      JWT_SECRET,
      DB_PASSWORD,
      OPENDRAY_TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      OPENDRAY_TELEGRAM_API_ROOT: api.url,
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await api?.stop();
});

const environ = (pid: number) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
const cmdline = (pid: string) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
};

function ptydPid(): number {
  const socket = join(server.home, "run", "ptyd.sock");
  const pid = readdirSync("/proc").find((p) => /^\d+$/.test(p) && cmdline(p).includes(socket));
  if (!pid) throw new Error("no PTY host process found");
  return Number(pid);
}

function expectNoSecrets(pid: number, what: string) {
  const env = environ(pid);
  expect(env.length).toBeGreaterThan(0);
  const names = env.map((e) => e.slice(0, e.indexOf("=")));
  for (const name of ["JWT_SECRET", "ADMIN_PASSWORD", "ADMIN_USERNAME", "DB_PASSWORD", "OPENDRAY_TELEGRAM_BOT_TOKEN"])
    expect({ what, has: names.includes(name) }).toEqual({ what, has: false });
  const text = env.join("\n");
  for (const secret of [JWT_SECRET, server.password, DB_PASSWORD, BOT_TOKEN])
    expect({ what, leaks: text.includes(secret) }).toEqual({ what, leaks: false });
}

/** A superuser connection to the bundled cluster (the test's view, not the server's). */
function superuser(database = "postgres") {
  const lines = readFileSync(join(server.home, "pg", "data", "postmaster.pid"), "utf8").split("\n");
  const config = readConfigFile(join(server.home, "config.toml")) as { db: { embedded: { password: string } } };
  return postgres({
    path: join(lines[4] ?? "", ".s.PGSQL.5432"),
    user: "opendray",
    password: config.db.embedded.password,
    database,
    max: 1,
    onnotice: () => {},
  });
}

describe("secrets stay in the server", () => {
  test("the PTY host, the bundled postmaster and a session inherit none of them", async () => {
    const created = await server.api("/api/sessions", {
      method: "POST",
      json: { name: "env", cwd: tmpdir() },
    });
    expect(created.status).toBe(201);
    expectNoSecrets(ptydPid(), "ptyd");
    const pg = postmasterPid(join(server.home, "pg", "data"));
    expectNoSecrets(pg as number, "postmaster");
    expectNoSecrets(created.body.pid, "session shell");
    // let the login shell finish its profile before it ends (one killed during it locks root's profile)
    const ws = new SessionSocket(server.url, created.body.id, server.token);
    await ws.until((w) => w.replayDone, "replay_end");
    ws.send({ type: "input", data: 'echo "jwt=[$JWT_SECRET]"; exit\r' });
    await ws.until((w) => w.messages.some((m) => m.type === "exit"), "the shell to exit", 90_000);
    expect(ws.text).toContain("jwt=[]");
    ws.close();
  });

  test("the server connects to the bundled Postgres as a role that is not a superuser", async () => {
    const sql = superuser();
    try {
      const roles = await waitFor(async () => {
        const rows = await sql<{ usename: string; rolsuper: boolean }[]>`
          SELECT DISTINCT a.usename, r.rolsuper FROM pg_stat_activity a JOIN pg_roles r ON r.rolname = a.usename
          WHERE a.datname = 'opendray'`;
        return rows.length ? rows : undefined;
      }, "the server's connections");
      expect(roles.map((r) => r.rolsuper)).not.toContain(true);
      const [db] = await sql<{ owner: string; super: boolean }[]>`
        SELECT pg_get_userbyid(d.datdba) AS owner, r.rolsuper AS super FROM pg_database d
        JOIN pg_roles r ON r.oid = d.datdba WHERE d.datname = 'opendray'`;
      expect(db?.super).toBe(false);
    } finally {
      await sql.end();
    }
  });

  test("a cluster whose tables a superuser owns (older installs) is handed over with its data", async () => {
    const before = (await server.api("/api/sessions")).body.map((s: { id: string }) => s.id);
    expect(before.length).toBeGreaterThan(0);
    const admin = superuser();
    const inDb = superuser("opendray");
    try {
      await admin`ALTER DATABASE opendray OWNER TO opendray`;
      const tables = await inDb<
        { name: string }[]
      >`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`;
      for (const t of tables) await inDb.unsafe(`ALTER TABLE public."${t.name}" OWNER TO opendray`);
    } finally {
      await inDb.end();
      await admin.end();
    }
    await server.kill9();
    await server.restart();
    const after = await server.api("/api/sessions");
    expect(after.status).toBe(200);
    expect(after.body.map((s: { id: string }) => s.id)).toEqual(before);
    const created = await server.api("/api/sessions", {
      method: "POST",
      json: { name: "after-handover", cwd: tmpdir(), autoStart: false },
    });
    expect(created.status).toBe(201);
  });
});
