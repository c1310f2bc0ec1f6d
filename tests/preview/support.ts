import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, type TestServer, waitFor } from "../harness";

export const VITE = join(ROOT, "node_modules", ".bin", "vite");

/** A tiny Vite app with the default config: a page, a hot-accepted module, a page that logs an error. */
export function viteProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "opendray-preview-vite-"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "preview-app", private: true, type: "module" }));
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><html><head><title>Preview app</title></head><body><h1 id="app">loading</h1><script type="module" src="/main.js"></script></body></html>`,
  );
  writeFileSync(
    join(dir, "main.js"),
    `import { msg } from "./msg.js";
const show = (m) => { document.querySelector("#app").textContent = m; };
show(msg);
if (import.meta.hot) import.meta.hot.accept("./msg.js", (mod) => show(mod.msg));
`,
  );
  writeMessage(dir, "hello from vite");
  writeFileSync(
    join(dir, "broken.html"),
    `<!doctype html><html><body><p>broken page</p><script type="module">console.error("preview-test: the widget failed to load"); fetch("/missing-data.json", { headers: { accept: "application/json" } })</script></body></html>`,
  );
  return dir;
}

export function writeMessage(dir: string, msg: string) {
  writeFileSync(join(dir, "msg.js"), `export const msg = ${JSON.stringify(msg)};\n`);
}

/** A server that answers every request with the headers and URL it received, as JSON. */
export function recorderScript(): string {
  const dir = mkdtempSync(join(tmpdir(), "opendray-preview-rec-"));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "recorder.ts");
  writeFileSync(
    file,
    `const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(req) {
    const url = new URL(req.url);
    if (url.pathname === "/redirect") return new Response(null, { status: 302, headers: { location: "http://localhost:" + server.port + "/landed" } });
    const headers = new Headers({ "content-type": "application/json" });
    headers.append("set-cookie", "app_session=abc; Domain=localhost; Path=/; HttpOnly");
    return new Response(JSON.stringify({ url: req.url, headers: Object.fromEntries(req.headers) }), { headers });
  },
});
console.log("recorder listening on http://127.0.0.1:" + server.port + "/");
`,
  );
  return file;
}

/** Starts a terminal session running `command` (exec'd by the shell) and waits for `ready` in its output. */
export async function sessionRunning(server: TestServer, cwd: string, command: string, ready: RegExp) {
  const r = await server.api("/api/sessions", {
    method: "POST",
    json: { sessionType: "terminal", cwd, extraArgs: ["-c", `exec ${command}`] },
  });
  if (r.status !== 201) throw new Error(`session not created: ${JSON.stringify(r.body)}`);
  const id = r.body.id as string;
  await waitFor(
    async () => {
      const res = await fetch(`${server.url}/api/sessions/${id}/buffer`, {
        headers: { authorization: `Bearer ${server.token}` },
      });
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the output has escape sequences
      const text = (await res.text()).replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
      return ready.test(text);
    },
    `"${ready}" in the session's output`,
    60_000,
    200,
  );
  return id;
}

/** A Bun app (`source`) written to a temp dir and run in a terminal session; it prints `ready` once it listens. */
export async function appInSession(server: TestServer, source: string, ready: RegExp) {
  const dir = mkdtempSync(join(tmpdir(), "opendray-preview-app-"));
  writeFileSync(join(dir, "app.ts"), source);
  const sessionId = await sessionRunning(server, dir, `${process.execPath} app.ts`, ready);
  const port = (await server.api(`/api/preview/ports?sessionId=${sessionId}`)).body[0].port as number;
  return { dir, sessionId, port };
}
