import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Elysia } from "elysia";
import type { AuthService } from "../../src/auth";
import { notFound } from "../../src/errors";
import { errorResponse } from "../../src/http";
import { PluginRegistry } from "../../src/plugins";
import { builtinManifests } from "../../src/plugins/builtin";

type AnyElysia = Elysia<any, any, any, any, any, any, any>;

/** Only verify() is used by the auth guard. */
export const auth = { verify: (token: string) => (token === "t" ? { sub: "admin" } : null) } as unknown as AuthService;

export function registry() {
  const r = new PluginRegistry({ builtins: builtinManifests, dirs: [], watch: false });
  r.rescan();
  return r;
}

/** Sessions by id → cwd, as the session service's diffInfo answers. */
export function fakeSessions(cwds: Record<string, string>, baselines: Record<string, string | null> = {}) {
  return {
    async diffInfo(id: string) {
      const cwd = cwds[id];
      if (!cwd) throw notFound("session");
      return { cwd, baseline: baselines[id] ?? null };
    },
  };
}

export function appWith(...features: AnyElysia[]) {
  let app: AnyElysia = new Elysia().onError(({ code, error, request }) => errorResponse(code, error, request));
  for (const f of features) app = app.use(f);
  return {
    app,
    async call(
      method: string,
      path: string,
      init: { json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
    ) {
      const headers: Record<string, string> = { authorization: "Bearer t", ...init.headers };
      let body = init.body;
      if (init.json !== undefined) {
        headers["content-type"] = "application/json";
        body = JSON.stringify(init.json);
      }
      const res = await app.handle(new Request(`http://local${path}`, { method, headers, body }));
      const text = await res.clone().text();
      let parsed: any = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return { status: res.status, body: parsed, headers: res.headers, res };
    },
  };
}

const made: string[] = [];
export function tempDir(prefix = "opendray-files-") {
  const d = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(d);
  return d;
}
export function cleanup() {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function git(cwd: string, ...args: string[]) {
  const r = Bun.spawnSync(["git", ...args], {
    cwd,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "T",
      GIT_AUTHOR_EMAIL: "t@e",
      GIT_COMMITTER_NAME: "T",
      GIT_COMMITTER_EMAIL: "t@e",
    },
  });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}
