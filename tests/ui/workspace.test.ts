import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { waitFor } from "../harness";
import { gitCommitAll, launchTerminal, login, run, startUi, type UiEnv } from "./support";

let env: UiEnv;
let repo: string;
let id: string;

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

beforeAll(async () => {
  env = await startUi();
  await login(env);
  repo = join(env.server.home, "workspace-project");
  mkdirSync(join(repo, "docs"), { recursive: true });
  writeFileSync(join(repo, "app.ts"), "export const greeting = 'hello';\nexport const n = 1;\n");
  writeFileSync(
    join(repo, "README.md"),
    "# Workspace project\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n![dot](dot.png)\n\nSee [the guide](docs/guide.md).\n",
  );
  writeFileSync(join(repo, "docs", "guide.md"), "# The guide\n\n- [x] read it\n");
  writeFileSync(join(repo, "dot.png"), PNG);
  writeFileSync(join(repo, "Makefile"), "hello:\n\t@echo hello-task-$$((6*7))\n");
  gitCommitAll(repo);
  id = await launchTerminal(env, repo);
}, 120_000);
afterAll(async () => {
  await env?.close();
});

/** No horizontal scrolling at 390 px: the page is exactly as wide as the phone. */
async function fitsThePhone() {
  const width = await env.page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
}

test("a session has Terminal · Changes · Files · Tasks · Docs tabs", async () => {
  const tabs = await env.page.locator(".session-tab").allInnerTexts();
  expect(tabs).toEqual(["Terminal", "Changes", "Files", "Tasks", "Docs"]);
  await env.shot("40-workspace-tabs");
}, 30_000);

test("the agent's change is reviewed from the phone: wrapped diff, a note on a line, sent to the terminal", async () => {
  const { page } = env;
  const long = "x".repeat(300);
  await run(page, `printf "export const greeting = 'hi ${long}';\\nexport const n = 1;\\n" > app.ts && echo edited-it`);
  await page.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("edited-it"));
  await page.locator('.session-tab[data-tab="changes"]').tap();
  await page.waitForURL(`**/s/${id}/changes`);
  const added = page.locator("button.dl.add", { hasText: "hi xxxx" });
  await added.waitFor();
  await fitsThePhone();
  await env.shot("41-changes");
  await added.tap();
  await page.getByLabel("Note", { exact: true }).fill("Keep the greeting short");
  await page.getByRole("button", { name: "Save note" }).tap();
  await page.getByRole("button", { name: "Send review (1)" }).tap();
  await page.getByRole("status").getByText("Sent 1 note").waitFor();
  await waitFor(
    async () =>
      (
        await fetch(`${env.server.url}/api/sessions/${id}/buffer?token=${env.server.token}`).then((r) => r.text())
      ).includes("Keep the greeting short"),
    "the review in the terminal",
  );
}, 60_000);

test("files: browse, view, edit with the conflict shown, upload", async () => {
  const { page } = env;
  await page.locator('.session-tab[data-tab="files"]').tap();
  await page.waitForURL(`**/s/${id}/files`);
  await page.getByTestId("file-list").getByText("app.ts").tap();
  await page.getByTestId("file-viewer").locator(".hljs-keyword").first().waitFor();
  await page.getByRole("button", { name: "Edit" }).tap();
  await page.getByLabel("File content").fill("export const n = 2;\n");
  // The agent writes the file while the user edits it.
  writeFileSync(join(repo, "app.ts"), "export const n = 3; // the agent\n");
  await page.getByRole("button", { name: "Save" }).tap();
  await page.getByTestId("conflict").waitFor();
  await fitsThePhone();
  await env.shot("42-files-conflict");
  expect(readFileSync(join(repo, "app.ts"), "utf8")).toContain("the agent");
  await page.getByRole("button", { name: "Overwrite" }).tap();
  await page.getByRole("status").getByText("Saved.").waitFor();
  expect(readFileSync(join(repo, "app.ts"), "utf8")).toBe("export const n = 2;\n");
  await page.getByRole("button", { name: "Back to folder" }).tap();
  await page.getByTestId("upload-input").setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: PNG });
  await page.getByText("Uploaded: photo.png").waitFor();
  expect(readFileSync(join(repo, "photo.png")).equals(PNG)).toBe(true);
  await env.shot("43-files");
}, 60_000);

test("tasks: a Makefile target runs as its own session", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/s/${id}/tasks`);
  await page.getByRole("button", { name: "Run hello" }).tap();
  await page.waitForURL(/\/s\/[0-9a-f-]{36}$/);
  expect(page.url()).not.toContain(id);
  await page.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("hello-task-42"));
  await page.goto(`${env.appUrl}/s/${id}/tasks`);
  await page.getByText("exit 0").waitFor();
  await env.shot("44-tasks");
}, 60_000);

test("docs: README rendered with its table and image; a link opens the guide", async () => {
  const { page } = env;
  await page.goto(`${env.appUrl}/s/${id}/docs`);
  await page.getByTestId("doc-list").getByText("Workspace project").tap();
  const doc = page.getByTestId("doc");
  await doc.locator("table").waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector<HTMLImageElement>("[data-testid=doc] img");
    return img?.complete && img.naturalWidth === 1;
  });
  await fitsThePhone();
  await env.shot("45-docs");
  await doc.getByRole("link", { name: "the guide" }).tap();
  await page.getByTestId("doc").getByRole("heading", { name: "The guide" }).waitFor();
}, 60_000);

test("a disabled panel's tab is hidden", async () => {
  const { page, server } = env;
  expect((await server.api("/api/providers/tasks/toggle", { method: "PATCH", json: { enabled: false } })).status).toBe(
    200,
  );
  await page.goto(`${env.appUrl}/s/${id}`);
  await page.locator(".session-tab").first().waitFor();
  expect(await page.locator(".session-tab").allInnerTexts()).toEqual(["Terminal", "Changes", "Files", "Docs"]);
  await server.api("/api/providers/tasks/toggle", { method: "PATCH", json: { enabled: true } });
}, 30_000);
