import { afterAll, expect, test } from "bun:test";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LaunchPlan, LaunchRequest } from "../plugins/launch";
import type { McpSpec } from "../plugins/manifest";
import { mcpResolver, removeRendered } from "./render";

const dir = mkdtempSync(join(tmpdir(), "mcp-render-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest = (agent: string) =>
  JSON.parse(readFileSync(join(import.meta.dir, "..", "..", "plugins", "agents", agent, "manifest.json"), "utf8"))
    .mcp as McpSpec;

/** The header the file holds: `${VAR}`, which the CLI expands from its own environment. */
const BEARER_FROM_ENV = ["Bearer $", "{OPENDRAY_MCP_TOKEN}"].join("");

const request = (sessionType: string, extra: Partial<LaunchRequest> = {}): LaunchRequest => ({
  sessionId: "0b0b0b0b-0000-4000-8000-000000000001",
  sessionType,
  cwd: dir,
  model: null,
  extraArgs: [],
  envOverrides: { HOME: join(dir, "home") },
  resumeId: null,
  firstStart: true,
  ...extra,
});

function resolver(
  plan: Partial<LaunchPlan> = {},
  strict = false,
  saved = true,
  self = ["/usr/bin/bun", "/src/main.ts"],
) {
  return mcpResolver(async () => ({ argv: ["agent", "--own"], env: {}, cwd: dir, resumeId: null, ...plan }), {
    spec: manifest,
    mint: async () => "odl_minted",
    serverUrl: () => "http://127.0.0.1:8640",
    self,
    root: join(dir, "mcp-sessions"),
    session: async () => (saved ? { mcpStrict: strict } : null),
  });
}

test("Claude Code gets --mcp-config with a 0600 file of the session's own (0700) naming the token's env variable, --strict-mcp-config only when strict", async () => {
  const plan = await resolver()(request("claude"));
  const file = join(dir, "mcp-sessions", request("claude").sessionId, "mcp.json");
  expect(plan.argv).toEqual(["agent", "--mcp-config", file, "--own"]);
  // Claude Code expands ${VAR} in --mcp-config headers (2.1.197): the file holds no token.
  expect(JSON.parse(readFileSync(file, "utf8")).mcpServers.opendray).toEqual({
    type: "http",
    url: "http://127.0.0.1:8640/mcp/s/0b0b0b0b-0000-4000-8000-000000000001",
    headers: { Authorization: BEARER_FROM_ENV },
  });
  expect(readFileSync(file, "utf8")).not.toContain("odl_");
  expect(plan.env.OPENDRAY_MCP_TOKEN).toBe("odl_minted");
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(join(file, "..")).mode & 0o777).toBe(0o700);
  expect((await resolver({}, true)(request("claude"))).argv).toContain("--strict-mcp-config");
  removeRendered(join(dir, "mcp-sessions"), request("claude").sessionId);
  expect(existsSync(file)).toBe(false);
});

test("Codex gets its one -c mcp_servers table with the token in an env variable, never in argv", async () => {
  const plan = await resolver()(request("codex", { llm: { gateway: "g", token: "odl_routed", model: "m" } }));
  expect(plan.argv.slice(1, 3)).toEqual([
    "-c",
    'mcp_servers.opendray={url="http://127.0.0.1:8640/mcp/s/0b0b0b0b-0000-4000-8000-000000000001",bearer_token_env_var="OPENDRAY_MCP_TOKEN"}',
  ]);
  expect(plan.env.OPENDRAY_MCP_TOKEN).toBe("odl_routed");
  expect(plan.argv.join(" ")).not.toContain("odl_");
});

test("OpenCode's mcp block is merged into the OPENCODE_CONFIG_CONTENT the model route wrote", async () => {
  const own = JSON.stringify({ provider: { opendray: { name: "OpenDray" } }, mcp: { mine: { type: "local" } } });
  const plan = await resolver({ env: { OPENCODE_CONFIG_CONTENT: own } })(request("opencode"));
  const config = JSON.parse(plan.env.OPENCODE_CONFIG_CONTENT as string);
  expect(config.provider.opendray.name).toBe("OpenDray");
  expect(config.mcp.mine).toEqual({ type: "local" });
  expect(config.mcp.opendray).toMatchObject({
    type: "remote",
    headers: { Authorization: "Bearer {env:OPENDRAY_MCP_TOKEN}" },
  });
  expect(plan.env.OPENDRAY_MCP_TOKEN).toBe("odl_minted");
});

test("Gemini CLI gets a per-session home: the user's settings plus mcpServers.opendray without the token, the user's own files untouched", async () => {
  const userGemini = join(dir, "home", ".gemini");
  mkdirSync(userGemini, { recursive: true });
  writeFileSync(join(userGemini, "settings.json"), JSON.stringify({ ui: { theme: "dark" } }));
  writeFileSync(join(userGemini, "oauth_creds.json"), "{}");
  const plan = await resolver()(request("gemini"));
  const home = plan.env.GEMINI_CLI_HOME as string;
  const settings = JSON.parse(readFileSync(join(home, ".gemini", "settings.json"), "utf8"));
  expect(settings.ui.theme).toBe("dark");
  expect(settings.mcpServers.opendray.httpUrl).toContain("/mcp/s/");
  // Gemini CLI expands ${VAR} in its settings (0.61.0): the token is in the agent's env, not the file.
  expect(settings.mcpServers.opendray.headers).toEqual({ Authorization: BEARER_FROM_ENV });
  expect(readFileSync(join(home, ".gemini", "settings.json"), "utf8")).not.toContain("odl_");
  expect(plan.env.OPENDRAY_MCP_TOKEN).toBe("odl_minted");
  expect(existsSync(join(home, ".gemini", "oauth_creds.json"))).toBe(true);
  expect(readFileSync(join(userGemini, "settings.json"), "utf8")).not.toContain("mcpServers");
});

test("Qwen Code's file names the stdio bridge `opendray mcp-stdio <url>` and no token; the token is in its env", async () => {
  const id = request("qwen-code").sessionId;
  const url = `http://127.0.0.1:8640/mcp/s/${id}`;
  const file = join(dir, "mcp-sessions", id, "mcp.json");
  const plan = await resolver({}, true)(request("qwen-code"));
  expect(plan.argv).toEqual(["agent", "--mcp-config", file, "--allowed-mcp-server-names", "opendray", "--own"]);
  // Qwen Code 0.15.10 sends --mcp-config headers as written (no ${VAR}): the bridge reads the env instead.
  expect(JSON.parse(readFileSync(file, "utf8")).mcpServers.opendray).toEqual({
    command: "/usr/bin/bun",
    args: ["/src/main.ts", "mcp-stdio", url],
  });
  expect(readFileSync(file, "utf8")).not.toContain("odl_");
  expect(plan.env.OPENDRAY_MCP_TOKEN).toBe("odl_minted");
  await resolver({}, false, true, ["/opt/opendray"])(request("qwen-code"));
  expect(JSON.parse(readFileSync(file, "utf8")).mcpServers.opendray).toEqual({
    command: "/opt/opendray",
    args: ["mcp-stdio", url],
  });
});

test("a launch validated before the session is saved renders nothing", async () => {
  const id = "0b0b0b0b-0000-4000-8000-000000000002";
  const plan = await resolver({}, false, false)(request("claude", { sessionId: id }));
  expect(plan.argv).toEqual(["agent", "--own"]);
  expect(existsSync(join(dir, "mcp-sessions", id))).toBe(false);
});
