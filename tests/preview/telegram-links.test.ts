import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type TestServer } from "../harness";
import { BotApiStub } from "../stubs/bot-api";
import { botServerEnv, CHAT, TOKEN } from "../telegram/support";

let api: BotApiStub;
let server: TestServer;
let dir: string;
/** A port something outside the session listens on: links to it stay as printed. */
let elsewhere: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  api = new BotApiStub().start();
  api.addBot(TOKEN);
  elsewhere = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("not the session's") });
  dir = mkdtempSync(join(tmpdir(), "opendray-preview-tg-"));
  writeFileSync(
    join(dir, "dev.ts"),
    `const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("dev") });
const say = () => console.log("dev server ready: http://localhost:" + s.port + "/ (api at http://127.0.0.1:${elsewhere.port}/) settings at http://localhost:" + s.port + "/some/page?x=1");
say();
setInterval(say, 500);
`,
  );
  server = await startServer({ env: botServerEnv(api) });
});

afterAll(async () => {
  await server?.stop();
  await api?.stop();
  elsewhere?.stop(true);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ask(text: string) {
  const { messageId } = api.userSays(TOKEN, CHAT, text);
  return api.waitForMessage(CHAT, (m) => m.replyTo === messageId, { timeoutMs: 20_000 });
}

test("a localhost link in output relayed to Telegram becomes the session's preview link, only for its own port", async () => {
  const r = await server.api("/api/sessions", {
    method: "POST",
    json: { sessionType: "terminal", cwd: dir, name: "tg-dev", extraArgs: ["-c", `exec ${process.execPath} dev.ts`] },
  });
  expect(r.status).toBe(201);
  const id = r.body.id as string;
  expect((await ask("/link tg-dev")).text).toContain("Linked this chat");
  const before = api.botMessages(CHAT).length;
  const relayed = await api.waitForMessage(CHAT, (m) => m.text?.includes("dev server ready") ?? false, {
    after: before,
    timeoutMs: 30_000,
  });
  const ports = await server.api(`/api/preview/ports?sessionId=${id}`);
  const devPort = ports.body.find((p: { source: string }) => p.source !== "output")?.port as number;
  expect(devPort).toBeGreaterThan(0);

  const previewLink = `${server.url}/s/${id}/preview?port=${devPort}`;
  // In the text the local address became the preview link; a clickable line follows the <pre> block.
  expect(relayed.text).toContain(`dev server ready: ${previewLink} `);
  expect(relayed.text?.split("\n")[0]).not.toContain(`http://localhost:${devPort}`);
  expect(relayed.html).toContain(
    `<a href="${previewLink.replaceAll("&", "&amp;")}">Preview http://localhost:${devPort}/</a>`,
  );
  // A link to a page of the app opens that page: its path and query travel in the preview link.
  const pageLink = `${previewLink}&path=${encodeURIComponent("/some/page?x=1")}`;
  expect(relayed.text).toContain(`settings at ${pageLink}`);
  expect(relayed.html).toContain(
    `<a href="${pageLink.replaceAll("&", "&amp;")}">Preview http://localhost:${devPort}/some/page?x=1</a>`,
  );
  // A port the session does not serve is left as printed.
  expect(relayed.text).toContain(`http://127.0.0.1:${elsewhere.port}/`);
  expect(relayed.html).not.toContain(`port=${elsewhere.port}`);

  // The link opens the session's Preview screen (the web app, which opens that port).
  const page = await fetch(previewLink);
  expect(page.status).toBe(200);
  expect(page.headers.get("content-type")).toContain("text/html");

  // /tail shows the same link.
  const tail = await ask("/tail tg-dev 5");
  expect(tail.html).toContain(`<a href="${previewLink}">`);
});
