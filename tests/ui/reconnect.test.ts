import { expect, test } from "bun:test";
import { waitFor } from "../harness";
import { fullText, launchTerminal, run, screenText, useLoggedInUi } from "./support";

const env = useLoggedInUi();

test("output printed while the phone is offline shows once, and keys typed offline are sent once", async () => {
  const { page, server, context } = env;
  const id = await launchTerminal(env);
  await run(page, "for i in $(seq 1 60); do echo n$i; sleep 0.05; done");
  await page.waitForFunction(() =>
    [...document.querySelectorAll(".xterm-rows > div")].some((row) => row.textContent?.trim() === "n5"),
  );

  await context.setOffline(true);
  await page.locator('[data-testid="connection"][data-state="offline"]').waitFor();
  const output = async () => {
    const res = await fetch(`${server.url}/api/sessions/${id}/buffer`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    return res.text();
  };
  await waitFor(
    async () => /^n60\r?$/m.test(await output()),
    "the counter to finish on the server while the phone is offline",
    20_000,
    100,
  );
  // Typed while offline: queued in the page, sent once when the socket is back.
  await run(page, "echo queued-$((40+2))");
  await env.shot("05-terminal-offline");

  await context.setOffline(false);
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor();
  await waitFor(async () => /^queued-42$/m.test(await fullText(page)), "the queued command's output", 20_000, 200);

  const text = await fullText(page);
  const numbers = text.split("\n").flatMap((line) => /^n(\d+)\s*$/.exec(line)?.[1] ?? []);
  expect(numbers).toEqual(Array.from({ length: 60 }, (_, i) => String(i + 1)));
  expect(text.match(/^queued-42\s*$/gm)?.length).toBe(1);
  await env.shot("06-terminal-reconnected");
}, 90_000);

test("the terminal reconnects by itself after the server restarts, without losing or repeating output", async () => {
  const { page, server } = env;
  await page.goto(`${env.appUrl}/`);
  const id = await launchTerminal(env);
  await run(page, "for i in $(seq 1 40); do echo m$i; sleep 0.1; done");
  await page.waitForFunction(() =>
    [...document.querySelectorAll(".xterm-rows > div")].some((row) => row.textContent?.trim() === "m3"),
  );
  await server.kill9();
  await page.locator('[data-testid="connection"][data-state="reconnecting"]').waitFor();
  await server.restart();
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor({ timeout: 30_000 });
  await waitFor(async () => /^m40$/m.test(await fullText(page)), "the counter's end on the screen", 20_000, 200);
  const numbers = (await fullText(page)).split("\n").flatMap((line) => /^m(\d+)\s*$/.exec(line)?.[1] ?? []);
  expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => String(i + 1)));
  expect((await server.api(`/api/sessions/${id}`)).body.status).not.toBe("exited");
}, 90_000);

test("opening a session with a long history loads only its tail", async () => {
  const { page, server } = env;
  const created = await server.api("/api/sessions", { method: "POST", json: { name: "long", cwd: server.home } });
  const id = created.body.id as string;
  await server.api(`/api/sessions/${id}/input`, { method: "POST", json: { input: "seq 1 150000; echo seq-done\r" } });
  await waitFor(
    async () => (await server.api(`/api/sessions/${id}`)).body.cursor > 1_000_000,
    "a megabyte of output",
    30_000,
    100,
  );
  await waitFor(
    async () =>
      /seq-done/.test((await server.api(`/api/sessions/${id}`)).body.lastLine ?? "") ||
      /^seq-done/m.test(
        await (
          await fetch(
            `${server.url}/api/sessions/${id}/buffer?since=${(await server.api(`/api/sessions/${id}`)).body.cursor - 200}`,
            { headers: { authorization: `Bearer ${server.token}` } },
          )
        ).text(),
      ),
    "the end of the output",
    30_000,
    100,
  );

  let received = 0;
  page.on("websocket", (ws) =>
    ws.on(
      "framereceived",
      (f) => (received += typeof f.payload === "string" ? f.payload.length : f.payload.byteLength),
    ),
  );
  await page.goto(`${env.appUrl}/s/${id}`);
  await page.locator('[data-testid="connection"][data-state="open"]').waitFor();
  await page.waitForFunction(() => document.querySelector(".xterm-rows")?.textContent?.includes("seq-done"));
  expect(await screenText(page)).toContain("150000");
  expect(received).toBeLessThan(300 * 1024);
}, 90_000);
