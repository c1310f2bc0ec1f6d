import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { freePort, shutdownPtyHost, waitFor } from "../harness";
import { environOf } from "../llm/support";
import { runCommand } from "../run-command";
import { repoRoot } from "./cli";

// The compiled binary for this machine (`bun run build`, done by the test prep), served as a
// release: installed with install.sh, then taken through setup, serve, service and uninstall.
const built = join(repoRoot, "dist", "opendray");
const asset = `opendray-${process.platform}-${process.arch === "arm64" ? "arm64" : "amd64"}`;

let dir: string;
let server: ReturnType<typeof Bun.serve>;

/** Newest modification time under `dir`: the binary must be newer than every source file it holds. */
function newest(dir: string): number {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) max = Math.max(max, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return max;
}

beforeAll(async () => {
  const sources = Math.max(
    newest(join(repoRoot, "src")),
    newest(join(repoRoot, "service")),
    newest(join(repoRoot, "migrations")),
  );
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    const r = Bun.spawnSync([process.execPath, join(repoRoot, "scripts", "build.ts")], {
      cwd: repoRoot,
      stdout: "inherit",
      stderr: "inherit",
    });
    if (r.exitCode !== 0) throw new Error("bun run build failed");
  }
  dir = mkdtempSync(join(tmpdir(), "opendray-binary-"));
  const sum = new Bun.CryptoHasher("sha256").update(await Bun.file(built).arrayBuffer()).digest("hex");
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(req) {
      const name = new URL(req.url).pathname.slice(1);
      if (name === asset) return new Response(Bun.file(built));
      if (name === "SHA256SUMS") return new Response(`${sum}  ${asset}\n`);
      return new Response("not found", { status: 404 });
    },
  });
}, 300_000);

afterAll(() => {
  server?.stop(true);
  rmSync(dir, { recursive: true, force: true });
});

const run = (argv: string[], env: Record<string, string | undefined>) =>
  runCommand(argv, { cwd: dir, env: { ...process.env, ...env } });

/** A Qwen Code session's MCP file names this binary's `mcp-stdio`, which reaches the gateway as Qwen Code would. */
async function qwenBridge(base: string, auth: string, binary: string, home: string) {
  const created = await fetch(`${base}/api/sessions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${auth}` },
    body: JSON.stringify({ sessionType: "qwen-code", cwd: dir }),
  });
  expect(created.status).toBe(201);
  const { id, pid } = (await created.json()) as { id: string; pid: number };
  const url = `${base}/mcp/s/${id}`;
  const file = JSON.parse(readFileSync(join(home, "mcp-sessions", id, "mcp.json"), "utf8"));
  expect(file.mcpServers.opendray).toEqual({ command: binary, args: ["mcp-stdio", url] });
  const transport = new StdioClientTransport({
    command: binary,
    args: ["mcp-stdio", url],
    env: { PATH: process.env.PATH ?? "", OPENDRAY_MCP_TOKEN: environOf(pid).OPENDRAY_MCP_TOKEN ?? "" },
  });
  const client = new Client({ name: "qwen-like", version: "1" });
  await client.connect(transport);
  try {
    expect((await client.listTools()).tools.map((t) => t.name)).toContain("ask_user");
  } finally {
    await client.close();
  }
}

test("the compiled binary installs with install.sh, sets up, serves, renders its service and uninstalls itself", async () => {
  const installDir = join(dir, "bin");
  const home = join(dir, "home");
  const env = {
    HOME: dir,
    OPENDRAY_HOME: home,
    OPENDRAY_CONFIG: undefined,
    LISTEN_ADDR: undefined,
    JWT_SECRET: undefined,
    ADMIN_USERNAME: undefined,
    ADMIN_PASSWORD: undefined,
  };

  const install = await run(["sh", join(repoRoot, "install.sh")], {
    ...env,
    OPENDRAY_DOWNLOAD_BASE: `http://127.0.0.1:${server.port}`,
    OPENDRAY_INSTALL_DIR: installDir,
  });
  expect(install.stderr).toBe("");
  expect(install.code).toBe(0);
  const binary = join(installDir, "opendray");
  expect(install.stdout).toMatch(/Installed opendray \d+\.\d+\.\d+\S* \(commit \w+, built \d{4}-\d\d-\d\dT/);

  const version = await run([binary, "version"], env);
  expect(version.stdout).toMatch(/^opendray \d+\.\d+\.\d+\S* \(commit \w+, built \d{4}-\d\d-\d\dT[\d:.]+Z\)\n$/);

  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "pw"), "binary password\n");
  const setup = await run(
    [binary, "setup", "--yes", `--listen=127.0.0.1:${port}`, `--admin-password-file=${join(dir, "pw")}`],
    env,
  );
  expect(setup.stderr).not.toContain("opendray setup:");
  expect(setup.code).toBe(0);

  const serve = Bun.spawn([binary], {
    cwd: dir,
    env: { ...process.env, ...env, LOG_LEVEL: "warn" },
    stdio: ["ignore", "ignore", "ignore"],
  });
  try {
    await waitFor(
      async () => {
        if (serve.exitCode !== null) throw new Error(`server exited with ${serve.exitCode}`);
        return (await fetch(`http://127.0.0.1:${port}/api/health`)).ok;
      },
      "the compiled server to answer /api/health",
      60_000,
    );
    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password: "binary password" }),
    });
    expect(login.status).toBe(200);
    await qwenBridge(`http://127.0.0.1:${port}`, ((await login.json()) as { token: string }).token, binary, home);
  } finally {
    serve.kill("SIGTERM");
    await serve.exited;
    await shutdownPtyHost(home);
  }

  const unit = await run([binary, "service", "install", "--dry-run", "--platform", "linux", "--user", "nobody"], env);
  expect(unit.stdout).toContain(`\nExecStart=${binary} serve\n`);

  const pgData = join(home, "pg", "data");
  const cluster = lstatSync(pgData).isSymbolicLink()
    ? dirname(resolve(dirname(pgData), readlinkSync(pgData)))
    : undefined;
  const plan = await run([binary, "uninstall", "--dry-run"], env);
  expect(plan.stdout).toContain(`would remove ${home}\n`);
  expect(plan.stdout).toContain(`would remove ${binary}\n`);
  if (cluster) expect(plan.stdout).toContain(`would remove ${cluster}\n`);

  const uninstall = await run([binary, "uninstall", "--yes"], env);
  expect(uninstall.code).toBe(0);
  expect(existsSync(binary)).toBe(false);
  expect(existsSync(home)).toBe(false);
  if (cluster) expect(existsSync(cluster)).toBe(false);
}, 180_000);
