import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { locatePgBinaries } from "../../src/store/pg-binaries";
import { canTraverse, postgresRunAs } from "../../src/store/service-user";
import { freePort, startServer, type TestServer, waitFor } from "../harness";

let server: TestServer | undefined;
let pg: Bun.Subprocess | undefined;
const dir = mkdtempSync(join(tmpdir(), "od-extpg-"));

afterAll(async () => {
  await server?.stop();
  pg?.kill("SIGINT");
  await pg?.exited;
  rmSync(dir, { recursive: true, force: true });
});

test("starts against an external Postgres over TCP and creates its schema there", async () => {
  // A second, independent Postgres server listening on TCP, like a user's own database.
  const { chmodSync, chownSync, writeFileSync } = await import("node:fs");
  chmodSync(dir, 0o755);
  const runAs = postgresRunAs();
  const bin = await locatePgBinaries(join(dir, "bin-cache"));
  if (runAs && !canTraverse(bin.postgres, runAs)) throw new Error("postgres binaries not readable by the service user");
  const data = join(dir, "data");
  const pw = join(dir, "pw");
  writeFileSync(pw, "ext-secret\n");
  if (runAs) {
    chownSync(dir, runAs.uid, runAs.gid);
    chownSync(pw, runAs.uid, runAs.gid);
  }
  const ids = runAs ? { uid: runAs.uid, gid: runAs.gid } : {};
  const init = Bun.spawnSync(
    [
      bin.initdb,
      "-D",
      data,
      "-U",
      "ext",
      `--pwfile=${pw}`,
      "--auth=scram-sha-256",
      "--no-sync",
      "-E",
      "UTF8",
      "--locale=C",
    ],
    ids,
  );
  expect(init.exitCode).toBe(0);
  const port = await freePort();
  pg = Bun.spawn([bin.postgres, "-D", data, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-k", dir], {
    ...ids,
    stdio: ["ignore", "ignore", "ignore"],
  });
  const { default: postgres } = await import("postgres");
  const admin = postgres({
    host: "127.0.0.1",
    port,
    user: "ext",
    password: "ext-secret",
    database: "postgres",
    max: 1,
    onnotice: () => {},
  });
  await waitFor(async () => (await admin`select 1 as ok`)[0]?.ok === 1, "external postgres");
  await admin.unsafe("CREATE DATABASE mydb");
  await admin.end();

  server = await startServer({
    env: { DB_HOST: "127.0.0.1", DB_PORT: String(port), DB_USER: "ext", DB_PASSWORD: "ext-secret", DB_NAME: "mydb" },
  });
  const created = await server.api("/api/sessions", {
    method: "POST",
    json: { cwd: "/tmp", autoStart: false, name: "ext-check" },
  });
  expect(created.status).toBe(201);
  const sql = postgres({
    host: "127.0.0.1",
    port,
    user: "ext",
    password: "ext-secret",
    database: "mydb",
    max: 1,
    onnotice: () => {},
  });
  const rows = await sql`SELECT name FROM sessions`;
  await sql.end();
  expect(rows.map((r) => r.name)).toContain("ext-check");
});
