import { expect, test } from "bun:test";
import { addServer, everythingStdio } from "../mcp/support";
import { useLoggedInUi } from "./support";

// Settings → MCP servers → Edit: the name is a field like the others, at 390×844.
const env = useLoggedInUi();
const SECRET = "env-secret-rename-2718";

test("a server is renamed from its Edit form: a taken name is refused next to the field, the secret stays set", async () => {
  const { page, server } = env;
  const s = await addServer(server, { ...everythingStdio("everything"), env: { API_TOKEN: SECRET } });
  await addServer(server, everythingStdio("beta"));
  await page.goto(`${env.appUrl}/settings/mcp`);
  const card = page.locator('[data-server="everything"]');
  await card.getByRole("button", { name: "Edit" }).tap();
  const name = card.getByLabel("Name", { exact: true });
  expect(await name.inputValue()).toBe("everything");

  await name.fill("beta");
  await card.getByRole("button", { name: "Save" }).tap();
  const nameError = card.locator('.field-error[data-field="name"]');
  await nameError.waitFor();
  expect(await nameError.textContent()).toBe('Another MCP server is named "beta".');

  await name.fill("Kitchen Tools");
  await card.getByRole("button", { name: "Save" }).tap();
  await page.waitForFunction(() =>
    document.querySelector('.field-error[data-field="name"]')?.textContent?.includes("lowercase"),
  );

  // Typing a new name takes the refusal away; the hint says what running sessions see.
  await name.fill("kitchen");
  expect(await nameError.count()).toBe(0);
  expect(await card.locator(".field-rule").textContent()).toContain(
    "Running sessions keep calling everything__tool as well.",
  );
  await env.shot("mcp-rename-01-form");
  await card.getByRole("button", { name: "Save" }).tap();
  const renamed = page.locator('[data-server="kitchen"]');
  await renamed.locator("form").waitFor({ state: "detached" });
  expect(await renamed.textContent()).toContain("env API_TOKEN set");
  expect(await page.locator('[data-server="everything"]').count()).toBe(0);
  const stored = (await server.api(`/api/mcp/servers/${s.id}`)).body;
  expect(stored).toMatchObject({ name: "kitchen", envKeys: ["API_TOKEN"], formerNames: ["everything"] });
  expect(await page.content()).not.toContain(SECRET);

  // After a reload the card has the new name; its form offers it as the name to keep.
  await page.reload();
  await renamed.getByRole("button", { name: "Edit" }).tap();
  expect(await renamed.getByLabel("Name", { exact: true }).inputValue()).toBe("kitchen");
  expect(await renamed.locator(".field-rule").textContent()).not.toContain("Running sessions");
  await env.shot("mcp-rename-02-renamed");
}, 120_000);
