import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Elysia } from "elysia";
import postgres from "postgres";
import type { AuthService } from "../../src/auth";
import { AppError } from "../../src/errors";
import { errorResponse } from "../../src/http";
import { createPgRoutes, PgBrowser } from "../../src/pg";
import { pgSettings } from "../../src/pg/connections";
import type { ConnectionSpec } from "../../src/pg/model";
import { PluginRegistry } from "../../src/plugins";
import { builtinManifests } from "../../src/plugins/builtin";
import { migrate } from "../../src/store/migrate";
import { startTargetPg, type TargetPg } from "./target-pg";

let target: TargetPg;
let shop: postgres.Sql;
let app: ReturnType<typeof build>;
const registry = new PluginRegistry({ builtins: builtinManifests, dirs: [], watch: false });
const auth = { verify: (t: string) => (t === "t" ? { sub: "admin" } : null) } as unknown as AuthService;
const projectDir = mkdtempSync(join(tmpdir(), "od-pg-project-"));
const sessionId = "33333333-3333-4333-8333-333333333333";
const marker = join(tmpdir(), `od-pg-copy-program-${process.pid}`);
const browser = new PgBrowser();
let appSql: postgres.Sql;

function build() {
  return new Elysia()
    .onError(({ code, error, request }) => errorResponse(code, error, request))
    .use(
      createPgRoutes({
        auth,
        registry,
        sql: appSql,
        browser,
        sessions: {
          async get(id) {
            if (id !== sessionId) throw new AppError("not_found", "session not found");
            return { cwd: projectDir };
          },
        },
      }),
    );
}

async function call(method: string, path: string, json?: unknown) {
  const res = await app.handle(
    new Request(`http://local${path}`, {
      method,
      headers: { authorization: "Bearer t", ...(json ? { "content-type": "application/json" } : {}) },
      body: json ? JSON.stringify(json) : undefined,
    }),
  );
  const text = await res.text();
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: res.status, body, headers: res.headers };
}
const query = (sql: string, params?: unknown[], conn = "default") =>
  call("POST", `/api/pg/${conn}/query`, { sql, ...(params ? { params } : {}) });

/** What a write would change: rows, sums, the audit table, the sequence, the tables that exist. */
async function fingerprint() {
  const [items] = await shop`SELECT count(*)::int AS n, sum(price)::int AS total FROM items`;
  const [audit] = await shop`SELECT count(*)::int AS n FROM audit`;
  const [seq] = await shop`SELECT last_value::int AS v FROM order_seq`;
  const tables =
    await shop`SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY 1`;
  const [lo] = await shop`SELECT count(*)::int AS n FROM pg_largeobject_metadata`;
  return JSON.stringify({ items, audit, seq, tables, lo });
}

beforeAll(async () => {
  target = await startTargetPg();
  const admin = target.admin();
  await admin.unsafe("CREATE DATABASE shop");
  await admin.unsafe("CREATE DATABASE app");
  shop = target.admin("shop");
  await shop.unsafe(`
    CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL, price int, tags text[], added date DEFAULT '2026-01-01');
    CREATE INDEX items_name ON items (name);
    INSERT INTO items SELECT g, 'item ' || g, g * 10, ARRAY['a', 'b'] FROM generate_series(1, 3000) g;
    CREATE TABLE audit (at timestamptz DEFAULT now(), what text);
    CREATE SEQUENCE order_seq;
    CREATE FUNCTION bump() RETURNS int LANGUAGE plpgsql AS $$ BEGIN INSERT INTO audit (what) VALUES ('bump'); RETURN 1; END $$;
    CREATE PROCEDURE wipe() LANGUAGE sql AS $$ DELETE FROM items $$;
    CREATE ROLE clerk LOGIN PASSWORD 'clerk-pw';
    CREATE TABLE clerk_notes (note text);
    ALTER TABLE clerk_notes OWNER TO clerk;
    INSERT INTO clerk_notes VALUES ('keep me');
    ANALYZE;
  `);
  appSql = postgres({
    path: target.pg.socketPath,
    user: target.user,
    password: target.password,
    database: "app",
    max: 2,
    onnotice: () => {},
    transform: { column: { from: postgres.toCamel, to: postgres.fromCamel } },
  });
  await migrate(appSql);
  await registry.start();
  process.env.OD_TEST_CLERK_PW = "clerk-pw";
  await registry.updateConfig("pg", {
    host: target.socketDir,
    database: "shop",
    user: target.user,
    password: target.password,
    connections: JSON.stringify([
      { name: "clerk", host: target.socketDir, database: "shop", user: "clerk", passwordEnv: "OD_TEST_CLERK_PW" },
    ]),
  });
  app = build();
});

afterAll(async () => {
  registry.stop();
  await browser.close();
  await appSql?.end({ timeout: 2 });
  await target?.stop();
  rmSync(projectDir, { recursive: true, force: true });
  rmSync(marker, { force: true });
});

// Every way we know to write through a read-only browser; each must be refused and change nothing.
const WRITE_ATTEMPTS: [string, string][] = [
  ["insert", "INSERT INTO items (id, name) VALUES (9999, 'x')"],
  ["update", "UPDATE items SET price = 0"],
  ["delete", "DELETE FROM items"],
  ["data-modifying CTE", "WITH d AS (DELETE FROM items RETURNING *) SELECT count(*) FROM d"],
  ["row locks", "SELECT * FROM items FOR UPDATE"],
  ["drop", "DROP TABLE items"],
  ["create", "CREATE TABLE evil (x int)"],
  ["truncate", "TRUNCATE items"],
  ["alter", "ALTER TABLE items ADD COLUMN evil int"],
  ["grant", "GRANT ALL ON items TO PUBLIC"],
  ["multi-statement", "SELECT 1; DROP TABLE items"],
  ["COMMIT smuggling", "COMMIT; DELETE FROM items"],
  ["a bare COMMIT", "COMMIT"],
  ["copy to program", `COPY (SELECT 1) TO PROGRAM 'touch ${marker}'`],
  ["read-write switch", "SET transaction_read_only = off"],
  ["session authorization", "SET SESSION AUTHORIZATION DEFAULT"],
  ["DO block", "DO $$ BEGIN DELETE FROM items; END $$"],
  ["CALL", "CALL wipe()"],
  ["nextval", "SELECT nextval('order_seq')"],
  ["lo_import", "SELECT lo_import('/etc/hostname')"],
  ["pg_terminate_backend", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()"],
  ["pg_cancel_backend", "SELECT pg_cancel_backend(pid) FROM pg_stat_activity"],
  ["set_config", "SELECT set_config('statement_timeout', '0', false)"],
  ["set_config back to the superuser", "SELECT set_config('role', 'opendray', true), count(*) FROM items"],
  ["set_config hidden by a quoted unicode name", `SELECT U&"\\0073et_config"('role', 'opendray', true)`],
  [
    "set_config in a subquery",
    "SELECT * FROM items WHERE id = (SELECT length(pg_catalog.set_config('role', 'opendray', true)))",
  ],
  ["a function with side effects", "SELECT bump()"],
  ["SQL run from a string", "SELECT query_to_xml('DELETE FROM items RETURNING 1', true, true, '')"],
  ["server files", "SELECT pg_read_file('/etc/hostname')"],
  ["server directories", "SELECT * FROM pg_ls_dir('.')"],
  ["session advisory lock", "SELECT pg_advisory_lock(42)"],
  ["reload config", "SELECT pg_reload_conf()"],
  ["EXPLAIN ANALYZE of a write", "EXPLAIN ANALYZE DELETE FROM items"],
  ["vacuum", "VACUUM items"],
  ["prepared statement", "PREPARE p AS DELETE FROM items"],
];

describe("the PostgreSQL browser", () => {
  test("lists the configured connections without their passwords", async () => {
    const { status, body } = await call("GET", "/api/pg/connections");
    expect(status).toBe(200);
    expect(body.readOnly).toBe(true);
    expect(body.maxRows).toBe(1000);
    expect(body.connections.map((c: any) => c.name)).toEqual(["default", "clerk"]);
    expect(body.connections[0].passwordSet).toBe(true);
    expect(JSON.stringify(body)).not.toContain(target.password);
  });

  test("reads rows with parameters, column names and types", async () => {
    const { status, body } = await query("SELECT id, name, price, tags, added FROM items WHERE id = $1", [7]);
    expect(status).toBe(200);
    expect(body.columns).toEqual([
      { name: "id", type: "int4" },
      { name: "name", type: "text" },
      { name: "price", type: "int4" },
      { name: "tags", type: "_text" },
      { name: "added", type: "date" },
    ]);
    expect(body.rows).toEqual([[7, "item 7", 70, ["a", "b"], "2026-01-01"]]);
    expect(body.rowCount).toBe(1);
    expect(body.truncated).toBe(false);
    expect(typeof body.durationMs).toBe("number");
    const empty = await query("SELECT id AS nothing FROM items WHERE false");
    expect(empty.body.columns).toEqual([{ name: "nothing", type: "int4" }]);
    expect(empty.body.rows).toEqual([]);
  });

  test("caps the rows at maxRows and says the result is truncated", async () => {
    const { body } = await query("SELECT id FROM items ORDER BY id");
    expect(body.rowCount).toBe(1000);
    expect(body.truncated).toBe(true);
    expect(body.rows.at(-1)).toEqual([1000]);
  });

  for (const [what, sql] of WRITE_ATTEMPTS) {
    test(`refuses a write attempt (${what}) and leaves the data as it was`, async () => {
      const before = await fingerprint();
      const { status, body } = await query(sql);
      expect([400, 403]).toContain(status);
      expect(body.error.message.length).toBeGreaterThan(10);
      expect(await fingerprint()).toBe(before);
    });
  }

  test("the same attempts are refused by Postgres itself when the friendly verb check is off", async () => {
    const raw = new PgBrowser({ precheck: false });
    const spec: ConnectionSpec = {
      name: "default",
      host: target.socketDir,
      port: 5432,
      database: "shop",
      user: target.user,
      password: target.password,
      sslmode: "disable",
      source: "config",
    };
    const observer = target.admin("shop");
    await observer`SELECT 1`;
    const before = await fingerprint();
    const outcomes: string[] = [];
    try {
      for (const [what, sql] of WRITE_ATTEMPTS) {
        const e = await raw.query(spec, pgSettings({}), { sql, params: [] }).then(
          () => null,
          (e) => e as AppError,
        );
        if (!(e instanceof AppError) || e.status >= 500) outcomes.push(`${what}: not refused (${e})`);
      }
      expect(outcomes).toEqual([]);
      expect(await fingerprint()).toBe(before);
      expect(existsSync(marker)).toBe(false);
      // pg_terminate_backend did not reach the other connection.
      expect((await observer`SELECT 2 AS two`)[0]?.two).toBe(2);
      expect((await raw.mode(spec)).role).toBe("opendray_reader");
    } finally {
      await raw.close();
    }
  });

  test("a user that is not a superuser and has no read-only role still cannot write", async () => {
    const raw = new PgBrowser({ precheck: false });
    const spec: ConnectionSpec = {
      name: "clerk",
      host: target.socketDir,
      port: 5432,
      database: "shop",
      user: "clerk",
      password: "clerk-pw",
      sslmode: "disable",
      source: "config",
    };
    try {
      const mode = await raw.mode(spec);
      expect(mode.role).toBeNull();
      expect(mode.note).toContain("queries run as clerk");
      const read = await raw.query(spec, pgSettings({}), { sql: "SELECT note FROM clerk_notes", params: [] });
      expect(read.rows).toEqual([["keep me"]]);
      for (const sql of [
        "DELETE FROM clerk_notes",
        "DROP TABLE clerk_notes",
        "SELECT set_config('role', 'opendray', true)",
      ])
        await expect(raw.query(spec, pgSettings({}), { sql, params: [] })).rejects.toBeInstanceOf(AppError);
      expect([...(await shop`SELECT note FROM clerk_notes`)]).toEqual([{ note: "keep me" }]);
      const schema = await call("GET", "/api/pg/clerk/schema");
      expect(schema.body.note).toContain("queries run as clerk");
    } finally {
      await raw.close();
    }
  });

  test("a slow query is stopped at the statement timeout", async () => {
    await registry.updateConfig("pg", { statementTimeoutMs: "500" });
    try {
      const started = Date.now();
      const { status, body } = await query("SELECT pg_sleep(5)");
      expect(status).toBe(400);
      expect(body.error.reason).toBe("timeout");
      expect(body.error.message).toContain("500 ms statement timeout");
      expect(Date.now() - started).toBeLessThan(3000);
      expect((await query("SELECT 1 AS ok")).body.rows).toEqual([[1]]);
    } finally {
      await registry.updateConfig("pg", { statementTimeoutMs: null });
    }
  });

  test("shows the schema: databases, schemas, tables, columns, indexes and row estimates", async () => {
    const { status, body } = await call("GET", "/api/pg/default/schema");
    expect(status).toBe(200);
    expect(body.database).toBe("shop");
    expect(body.databases).toContain("shop");
    expect(body.schemas).toEqual(["public"]);
    expect(body.readerRole).toBe("opendray_reader");
    const items = body.tables.find((t: any) => t.name === "items");
    expect(items.kind).toBe("table");
    expect(items.rowEstimate).toBe(3000);
    expect(items.columns[0]).toEqual({ name: "id", type: "integer", nullable: false, default: null });
    expect(items.columns.find((c: any) => c.name === "added").default).toBe("'2026-01-01'::date");
    expect(items.indexes.map((i: any) => i.name).sort()).toEqual(["items_name", "items_pkey"]);
  });

  test("explains a query as JSON without running it", async () => {
    const { status, body } = await call("POST", "/api/pg/default/explain", {
      sql: "SELECT * FROM items WHERE id = $1",
      params: [3],
    });
    expect(status).toBe(200);
    expect(body.plan[0].Plan["Node Type"]).toBe("Index Scan");
  });

  test("exports a result as CSV", async () => {
    const res = await call("POST", "/api/pg/default/export", {
      sql: "SELECT id, name, tags FROM items WHERE id <= 2 UNION ALL SELECT 0, 'has \"quotes\", commas', NULL ORDER BY 1",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.body).toBe(
      'id,name,tags\r\n0,"has ""quotes"", commas",\r\n1,item 1,"[""a"",""b""]"\r\n2,item 2,"[""a"",""b""]"\r\n',
    );
    expect(res.headers.get("x-truncated")).toBe("false");
  });

  test("keeps a history of queries, refused ones included", async () => {
    await query("SELECT 'history check' AS h");
    await query("DELETE FROM audit");
    const { body } = await call("GET", "/api/pg/default/history?limit=5");
    const recent = body.entries.slice(0, 2);
    expect(recent[0]).toMatchObject({ sql: "DELETE FROM audit", ok: false });
    expect(recent[0].error).toContain("read-only");
    expect(recent[1]).toMatchObject({ sql: "SELECT 'history check' AS h", ok: true, rowCount: 1 });
  });

  test("writes through execute only when the panel is not read-only", async () => {
    const refused = await call("POST", "/api/pg/default/execute", { sql: "DELETE FROM audit" });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain("read-only");
    await registry.updateConfig("pg", { readOnly: false });
    try {
      const ok = await call("POST", "/api/pg/default/execute", {
        sql: "INSERT INTO audit (what) VALUES ($1)",
        params: ["by hand"],
      });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ rowsAffected: 1, verb: "INSERT" });
      expect([...(await shop`SELECT what FROM audit`)]).toEqual([{ what: "by hand" }]);
      const multi = await call("POST", "/api/pg/default/execute", { sql: "DELETE FROM audit; DROP TABLE items" });
      expect(multi.status).toBe(400);
      expect((await shop`SELECT count(*)::int AS n FROM audit`)[0]?.n).toBe(1);
    } finally {
      await registry.updateConfig("pg", { readOnly: true });
      await shop`DELETE FROM audit`;
    }
  });

  test("reads DATABASE_URL from the session's .env when the user opts in", async () => {
    const url = `postgres://${target.user}:${encodeURIComponent(target.password)}@localhost/shop?host=${encodeURIComponent(target.socketDir)}`;
    writeFileSync(join(projectDir, ".env"), `# app settings\nexport DATABASE_URL="${url}"\n`);
    expect((await query("SELECT 1", [], "project")).status).toBe(404);
    await registry.updateConfig("pg", { projectEnv: true });
    try {
      const listed = await call("GET", `/api/pg/connections?sessionId=${sessionId}`);
      expect(listed.body.connections.map((c: any) => c.name)).toEqual(["default", "clerk", "project"]);
      const r = await call("POST", `/api/pg/project/query?sessionId=${sessionId}`, {
        sql: "SELECT count(*)::int FROM items",
      });
      expect(r.body.rows).toEqual([[3000]]);
    } finally {
      await registry.updateConfig("pg", { projectEnv: false });
    }
  });

  test("bad input is a 422 naming the field; unknown connections are 404", async () => {
    const missing = await call("POST", "/api/pg/default/query", { params: [] });
    expect(missing.status).toBe(422);
    expect(missing.body.error.issues[0].path).toBe("sql");
    const badParam = await call("POST", "/api/pg/default/query", { sql: "SELECT $1", params: [{ a: 1 }] });
    expect(badParam.status).toBe(422);
    expect(badParam.body.error.issues[0].path).toBe("params.0");
    expect((await query("SELECT 1", [], "nope")).status).toBe(404);
    const syntax = await query("SELEC 1");
    expect(syntax.status).toBe(400);
    expect(syntax.body.error.message).toContain("syntax error");
  });

  test("a disabled panel's routes answer 404", async () => {
    await registry.setEnabled("pg", false);
    try {
      const r = await query("SELECT 1");
      expect(r.status).toBe(404);
      expect(r.body.error.message).toContain("pg panel is disabled");
      expect((await call("GET", "/api/pg/connections")).status).toBe(404);
    } finally {
      await registry.setEnabled("pg", true);
    }
    expect((await query("SELECT 1")).status).toBe(200);
  });
});
