import { afterAll, beforeAll, expect, test } from "bun:test";
import { buildUi } from "../../scripts/build-ui.ts";
import { type OllamaStub, startOllama } from "../stubs/model-ollama";
import { login, startUi, type UiEnv } from "../ui/support";
import { claudeOnboarded, newProject } from "./support";

let env: UiEnv;
let ollama: OllamaStub;

beforeAll(async () => {
  await buildUi({ quiet: true });
  claudeOnboarded();
  ollama = startOllama();
  env = await startUi({ env: { DISABLE_AUTOUPDATER: "1", CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" } });
  await login(env);
});

afterAll(async () => {
  await env?.close();
  ollama?.stop();
});

test("Settings → Model endpoints: an Ollama endpoint is added and probed; the launcher routes Claude Code to its model, shown in the header", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/settings`);
  await page.getByRole("link", { name: "Run agents on your own models…" }).tap();
  await page.getByRole("heading", { name: "Model endpoints" }).waitFor();
  await page.getByLabel("Name").fill("ollama-desktop");
  await page.getByLabel("Kind").selectOption("ollama");
  await page.getByLabel("Base URL").fill(ollama.url);
  await page.getByRole("button", { name: "Add and probe" }).tap();
  const card = page.locator('[data-endpoint="ollama-desktop"]');
  await card.locator('[data-wire="openaiChat"][data-ok="true"]').waitFor();
  expect(await card.locator('[data-wire="anthropicMessages"]').getAttribute("data-ok")).toBe("false");
  expect(await card.locator(".model-list").textContent()).toContain("qwen3:8b · 40k context");
  await env.shot("model-endpoints");

  await page.goto(`${env.appUrl}/new`);
  await page.locator('[data-agent="claude"]').tap();
  await page.getByLabel("Working directory").fill(newProject());
  await page.getByLabel("Model endpoint").selectOption({ label: "ollama-desktop" });
  await page.getByLabel("Endpoint model").selectOption("qwen3:8b");
  await page.getByRole("button", { name: /^Start / }).tap();
  await page.waitForURL(/\/s\/[0-9a-f-]{36}$/);
  await page.getByTestId("session-model").waitFor();
  expect((await page.getByTestId("session-model").textContent())?.trim()).toBe("qwen3:8b");
  const id = page.url().split("/").at(-1) as string;
  const session = (await env.server.api(`/api/sessions/${id}`)).body;
  expect(session.llmProviderId).toBeTruthy();
  await env.shot("routed-session");
  await env.server.api(`/api/sessions/${id}`, { method: "DELETE" });
}, 120_000);
