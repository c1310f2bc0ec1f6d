import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gitCommitAll, launchTerminal, run, screenText, useLoggedInUi } from "./support";

const env = useLoggedInUi();

test("a session waiting on a question is first in the list and answered with one tap", async () => {
  const { page } = env;
  const id = await launchTerminal(env);
  await run(page, 'read -p "Continue? [y/N] " a; echo "answer=$a"');
  await page.getByTestId("prompt-card").waitFor({ timeout: 20_000 });
  await page.goto(`${env.appUrl}/`);
  await page.locator(`.session-item[data-session-id="${id}"] [data-status="waiting"]`).waitFor({ timeout: 15_000 });
  expect(await page.locator(".session-item").first().getAttribute("data-session-id")).toBe(id);
  await page.locator(`.session-item[data-session-id="${id}"]`).tap();
  const card = page.getByTestId("prompt-card");
  await card.locator(".prompt-question", { hasText: "Continue?" }).waitFor();
  await env.shot("30-terminal-prompt");
  await card.getByRole("button", { name: "Yes" }).tap();
  await card.waitFor({ state: "detached" });
  await page.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("answer=y"));
  expect(await screenText(page)).toContain("answer=y");
}, 60_000);

test("the diff view shows a file the session created", async () => {
  const { page, server } = env;
  const repo = join(server.home, "project");
  mkdirSync(repo, { recursive: true });
  writeFileSync(join(repo, "README.md"), "# project\n");
  gitCommitAll(repo);

  const id = await launchTerminal(env, repo);
  await run(page, "printf 'hello\\nfrom the phone\\n' > created.txt && echo wrote-it");
  await page.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("wrote-it"));
  await page.getByRole("button", { name: "Menu" }).tap();
  await page.getByRole("link", { name: "Diff" }).tap();
  await page.waitForURL(`**/s/${id}/diff`);
  await page.getByTestId("diff-files").getByText("created.txt").waitFor();
  await page.locator(".dl.add", { hasText: "from the phone" }).waitFor();
  await env.shot("31-diff");
}, 60_000);
