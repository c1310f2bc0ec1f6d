import { afterAll, beforeAll, expect, test } from "bun:test";
import { waitFor } from "../harness";
import { fullText, launchTerminal, login, run, startUi, type UiEnv } from "./support";

let env: UiEnv;
beforeAll(async () => {
  env = await startUi();
  await login(env);
}, 120_000);
afterAll(async () => {
  await env?.close();
});

test("output printed while the phone is offline shows once, and keys typed offline are sent once", async () => {
  const { page, server, context } = env;
  const id = await launchTerminal(env);
  await run(page, "for i in $(seq 1 60); do echo n$i; sleep 0.05; done");
  await page.waitForFunction(() => /^n5$/m.test((document.querySelector(".xterm-rows") as HTMLElement | null)?.innerText ?? ""));

  await context.setOffline(true);
  await page.locator('[data-testid="connection"][data-state="offline"]').waitFor();
  await env.shot("05-terminal-offline");
  // Typed while offline: the shell runs it after the loop, once the input reaches it.
  await run(page, "echo queued-$((40+2))");
  await waitFor(async () => /n(3\d|[4-6]\d)\b/.test((await server.api(`/api/sessions/${id}`)).body.lastLine ?? ""), "the counter to advance on the server while offline");

  await context.setOffline(false);
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor();
  await waitFor(async () => /^queued-42$/m.test(await fullText(page)), "the queued command's output", 20_000, 200);

  const text = await fullText(page);
  const numbers = text.split("\n").flatMap((line) => /^n(\d+)\s*$/.exec(line)?.[1] ?? []);
  expect(numbers).toEqual(Array.from({ length: 60 }, (_, i) => String(i + 1)));
  expect(text.match(/^queued-42\s*$/gm)?.length).toBe(1);
  await env.shot("06-terminal-reconnected");
}, 90_000);
