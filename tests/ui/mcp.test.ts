import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { waitFor } from "../harness";
import { claudeOnboarded, newProject } from "../llm/support";
import { agentClient, EVERYTHING } from "../mcp/support";
import { login, startUi, type UiEnv } from "./support";

// Settings → MCP servers, the launcher's picker, a session's tool-call log and the ask card, at 390×844.
let env: UiEnv;
let sessionId: string;
let agent: Client | undefined;
const SECRET = "env-secret-7341";

beforeAll(async () => {
  claudeOnboarded();
  env = await startUi({ env: { DISABLE_AUTOUPDATER: "1", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" } });
  await login(env);
}, 180_000);

afterAll(async () => {
  await agent?.close();
  if (sessionId) await env?.server.api(`/api/sessions/${sessionId}`, { method: "DELETE" });
  await env?.close();
});

test("a stdio server is added from the phone: a reserved name is refused next to the field, Test lists its tools, a tool is turned off", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/settings`);
  await page.getByRole("link", { name: "Tools for every agent session…" }).tap();
  await page.getByRole("heading", { name: "MCP servers" }).waitFor();
  await page.getByText("No MCP servers yet.").waitFor();
  await page.getByRole("button", { name: "Add a server" }).tap();
  await page.getByLabel("Name", { exact: true }).fill("opendray");
  await page.getByLabel("Command", { exact: true }).fill(process.execPath);
  await page.getByLabel("Arguments, one per line").fill(`${EVERYTHING}\nstdio`);
  await page.getByRole("button", { name: "+ Add variable" }).tap();
  await page.getByLabel("Variable 1").fill("API_TOKEN");
  await page.getByLabel("API_TOKEN value").fill(SECRET);
  await page.getByRole("button", { name: "Add server" }).tap();
  const nameError = page.locator('.field-error[data-field="name"]');
  await nameError.waitFor();
  expect(await nameError.textContent()).toBe("This name is reserved.");
  await env.shot("mcp-01-name-refused");

  await page.getByLabel("Name", { exact: true }).fill("everything");
  await page.getByRole("button", { name: "Add server" }).tap();
  const card = page.locator('[data-server="everything"]');
  await card.waitFor();
  expect(await nameError.count()).toBe(0);
  // The secret is write-only: the card says it is set, the page never holds its value.
  expect(await card.textContent()).toContain("env API_TOKEN set");
  expect(await page.content()).not.toContain(SECRET);

  await card.getByRole("button", { name: "Test" }).tap();
  const result = card.getByTestId("test-result");
  await result.waitFor({ timeout: 60_000 });
  expect(await result.getAttribute("data-ok")).toBe("true");
  expect(await result.locator(".ok").textContent()).toMatch(/✓ \d+ tools in \d+ ms · protocol \d{4}-\d{2}-\d{2}/);
  await card.locator('[data-tool="echo"]').waitFor();
  await env.shot("mcp-02-tested");

  const sum = card.getByLabel("Allow get-sum");
  expect(await sum.isChecked()).toBe(true);
  await sum.tap();
  await waitFor(
    async () => (await env.server.api("/api/mcp/servers")).body.servers[0]?.disabledTools?.includes("get-sum"),
    "get-sum disabled on the server",
  );
  expect(await sum.isChecked()).toBe(false);
  expect(await card.getByLabel("Allow echo").isChecked()).toBe(true);

  // After a reload the card still says which tool is blocked; its secret still reads "set".
  await page.reload();
  await card.getByTestId("tool-lists").waitFor();
  expect(await card.getByTestId("tool-lists").textContent()).toBe("Blocked: get-sum");
  await card.getByRole("button", { name: "Edit" }).tap();
  await card.locator('[data-pair="API_TOKEN"] .badge.set').waitFor();
  expect(await page.content()).not.toContain(SECRET);
  await env.shot("mcp-03-edit");
  // A stored value is kept while its field stays blank: adding a variable does not ask for it again.
  expect(await card.getByLabel("API_TOKEN value").getAttribute("placeholder")).toBe("stored — leave blank to keep");
  await card.getByRole("button", { name: "+ Add variable" }).tap();
  await card.getByLabel("Variable 2").fill("LOG_LEVEL");
  await card.getByLabel("LOG_LEVEL value").fill("debug");
  await card.getByRole("button", { name: "Save" }).tap();
  await card.locator("form").waitFor({ state: "detached" });
  expect(await card.textContent()).toContain("env API_TOKEN set, LOG_LEVEL set");
  expect((await env.server.api("/api/mcp/servers")).body.servers[0].envKeys).toEqual(["API_TOKEN", "LOG_LEVEL"]);
  expect(await page.content()).not.toContain(SECRET);
}, 120_000);

/** Starts Claude Code from the launcher; `without` unticks that server in the MCP picker first. */
async function launchClaude(opts: { without?: string; strict?: boolean } = {}) {
  const { page } = env;
  await page.goto(`${env.appUrl}/new`);
  await page.locator('[data-agent="claude"]').tap();
  if (opts.without || opts.strict) await page.locator(".mcp-picker-head").tap();
  if (opts.without) await page.locator(`[data-testid="mcp-picker"] [data-server="${opts.without}"] input`).tap();
  if (opts.strict) await page.getByLabel(/^Only these/).tap();
  await page.getByLabel("Working directory").fill(newProject());
  await page.getByRole("button", { name: /^Start / }).tap();
  await page.waitForURL(/\/s\/[0-9a-f-]{36}$/);
  const id = page.url().split("/").at(-1) as string;
  const client = await waitFor(() => agentClient(env.server, id).catch(() => null), "the session's gateway");
  return { id, client };
}

test("a server unticked in the launcher's MCP picker is not among the session's tools; 'Only these' starts Claude Code strict", async () => {
  const { id, client } = await launchClaude({ without: "everything", strict: true });
  const names = (await client.listTools()).tools.map((t) => t.name);
  expect(names).toContain("ask_user");
  expect(names.filter((n) => n.startsWith("everything__"))).toEqual([]);
  const { pid } = (await env.server.api(`/api/sessions/${id}`)).body as { pid: number };
  expect(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")).toContain("--strict-mcp-config");
  await env.page.getByRole("button", { name: "Menu" }).tap();
  await env.page.getByRole("button", { name: "Tool calls" }).tap();
  await env.page.getByText("No registry servers: only OpenDray's own tools.").waitFor();
  await client.close();
  await env.server.api(`/api/sessions/${id}`, { method: "DELETE" });
}, 120_000);

test("the launcher's MCP picker is collapsed, lists the server as picked, and a Claude Code session starts with it", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/new`);
  await page.locator('[data-agent="claude"]').tap();
  const picker = page.getByTestId("mcp-picker");
  await picker.waitFor();
  expect(await picker.getAttribute("open")).toBeNull();
  expect(await picker.locator(".mcp-picker-head").textContent()).toBe("MCP serverseverything");
  await picker.locator(".mcp-picker-head").tap();
  const box = picker.locator('[data-server="everything"] input');
  expect(await box.isChecked()).toBe(true);
  await env.shot("mcp-04-launcher");
  const started = await launchClaude();
  sessionId = started.id;
  agent = started.client;
  const names = (await agent.listTools()).tools.map((t) => t.name);
  expect(names).toContain("everything__echo");
  expect(names).not.toContain("everything__get-sum");
  // The edit that added LOG_LEVEL kept the stored token: the server was started with both.
  const got = (await agent.callTool({ name: "everything__get-env", arguments: {} })) as { content: { text: string }[] };
  const serverEnv = JSON.parse(got.content[0]?.text ?? "{}");
  expect(serverEnv.API_TOKEN).toBe(SECRET);
  expect(serverEnv.LOG_LEVEL).toBe("debug");
}, 120_000);

test("the session sheet lists the agent's tool calls with their arguments and results, readable at 390 px", async () => {
  const { page } = env;
  const a = agent as Client;
  const echoed = (await a.callTool({ name: "everything__echo", arguments: { message: "hello from the phone" } })) as {
    content: { text: string }[];
  };
  expect(echoed.content[0]?.text).toContain("hello from the phone");
  const blocked = (await a.callTool({ name: "everything__get-sum", arguments: { a: 2, b: 3 } })) as {
    isError?: boolean;
  };
  expect(blocked.isError).toBe(true);

  await page.getByRole("button", { name: "Menu" }).tap();
  await page.getByRole("button", { name: "Tool calls" }).tap();
  const log = page.getByTestId("mcp-calls");
  await log.getByText("Servers: everything").waitFor();
  const echo = log.locator('[data-tool="everything__echo"]');
  await echo.waitFor();
  expect(await echo.locator(".mcp-call-tool").textContent()).toBe("everything · echo");
  expect(await echo.locator(".mcp-call-meta").textContent()).toMatch(/^\d+ ms · \d{2}:\d{2}:\d{2}/);
  await echo.locator(".mcp-call-head").tap();
  expect(JSON.parse((await echo.getByTestId("call-arguments").textContent()) ?? "")).toEqual({
    message: "hello from the phone",
  });
  expect(await echo.getByTestId("call-result").textContent()).toContain("hello from the phone");
  const failed = log.locator('[data-tool="everything__get-sum"]');
  expect(await failed.getAttribute("class")).toContain("failed");
  expect(await failed.locator(".mcp-call-brief").textContent()).toMatch(/^Error: /);
  // Nothing runs past the phone's width.
  const widths = await page.evaluate(() => {
    const sheet = document.querySelector(".sheet") as HTMLElement;
    return { scroll: sheet.scrollWidth, client: sheet.clientWidth };
  });
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  await env.shot("mcp-05-tool-calls");
  await page.getByRole("button", { name: "Close" }).tap();
}, 60_000);

test("ask_user arrives as the prompt card: checkboxes and Send for several choices, one tap for one", async () => {
  const { page } = env;
  const a = agent as Client;
  const many = a.callTool(
    {
      name: "ask_user",
      arguments: { question: "Which checks should run?", options: ["lint", "tests", "e2e"], multi: true },
    },
    undefined,
    { timeout: 60_000 },
  );
  const card = page.getByTestId("prompt-card");
  await card.getByText("Which checks should run?").waitFor({ timeout: 20_000 });
  await card.getByLabel("lint").tap();
  await card.getByLabel("e2e").tap();
  await env.shot("mcp-06-ask-multi");
  await card.getByRole("button", { name: "Send" }).tap();
  const chosen = (await many) as unknown as { content: { text: string }[]; structuredContent: { keys: string[] } };
  expect(chosen.structuredContent.keys).toEqual(["1", "3"]);
  expect(chosen.content[0]?.text).toContain("lint");
  expect(chosen.content[0]?.text).toContain("e2e");
  await card.waitFor({ state: "detached" });

  // On the session list the same question is answered without opening the session.
  await page.goto(`${env.appUrl}/`);
  const one = a.callTool(
    { name: "ask_user", arguments: { question: "Deploy to staging or prod?", options: ["staging", "prod"] } },
    undefined,
    { timeout: 60_000 },
  );
  const listCard = page.locator(`.session-prompt[data-session-id="${sessionId}"]`);
  await listCard.getByText("Deploy to staging or prod?").waitFor({ timeout: 20_000 });
  await env.shot("mcp-07-ask-list");
  await listCard.getByRole("button", { name: "prod" }).tap();
  expect(((await one) as { content: { text: string }[] }).content[0]?.text).toBe("prod");
}, 90_000);

test("a server that fails to start shows its error in Test and in the session's tool calls; the session still has its other tools", async () => {
  const { page } = env;
  const r = await env.server.api("/api/mcp/servers", {
    method: "POST",
    json: { name: "broken", transport: "stdio", command: "/nonexistent/mcp-server", startupTimeoutMs: 3000 },
  });
  expect(r.status).toBe(201);
  await page.goto(`${env.appUrl}/settings/mcp`);
  const card = page.locator('[data-server="broken"]');
  await card.getByRole("button", { name: "Test" }).tap();
  const result = card.getByTestId("test-result");
  await result.waitFor({ timeout: 30_000 });
  expect(await result.getAttribute("data-ok")).toBe("false");
  const failedText = (await result.locator(".error").textContent()) ?? "";
  expect(failedText).toMatch(/^Failed after \d+ ms: \S/);
  await env.shot("mcp-08-test-failed");

  // The failure outlives a server restart: the card still says why and when.
  await env.server.kill9();
  await env.server.restart();
  await page.goto(`${env.appUrl}/settings/mcp`);
  const kept = card.getByTestId("last-error");
  await kept.waitFor();
  expect(await kept.textContent()).toMatch(/^Did not start .*\d.*: \S/);
  expect(await kept.textContent()).toEndWith(failedText.replace(/^Failed after \d+ ms: /, ""));
  await env.shot("mcp-08b-kept-error");

  const { id, client } = await launchClaude();
  const names = (await client.listTools()).tools.map((t) => t.name);
  expect(names).toContain("everything__echo");
  await page.getByRole("button", { name: "Menu" }).tap();
  await page.getByRole("button", { name: "Tool calls" }).tap();
  const failed = page.locator('[data-failed-server="broken"]');
  await failed.waitFor();
  expect(await failed.textContent()).toMatch(/^broken did not start: \S/);
  await env.shot("mcp-09-session-server-failed");
  await client.close();
  await env.server.api(`/api/sessions/${id}`, { method: "DELETE" });
}, 120_000);
