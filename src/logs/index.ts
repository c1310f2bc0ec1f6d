import { closeSync, lstatSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Elysia } from "elysia";
import { type AuthService, requireAuth, tokenFrom } from "../auth";
import { AppError, invalidField } from "../errors";
import { type FilesSessions, openInside, type Root, Roots, resolveInside } from "../files";
import { originAllowed } from "../http";
import { type PluginRegistry, panelGuard } from "../plugins";
import { LOG_FILE, LogListQuery, LogWsQuery } from "./model";
import type { LogFrame } from "./protocol";
import { LogTail } from "./tail";

export type { LogFrame } from "./protocol";
export { LogTail } from "./tail";

export const LOG_POLL_MS = 300;
const SKIP = new Set(["node_modules", ".git", "dist", "build", "target", ".venv", "__pycache__"]);

export interface LogsDeps {
  auth: AuthService;
  registry: PluginRegistry;
  sessions: FilesSessions;
  configRoots?: string[];
  allowedOrigins: string[];
}

/** The grep regex, or a 400 naming the field when it does not compile. */
export function compileGrep(grep: string | undefined): RegExp | null {
  if (!grep) return null;
  try {
    return new RegExp(grep);
  } catch (e) {
    throw new AppError("bad_request", `grep: ${(e as Error).message}`, [
      { path: "grep", message: "not a valid regular expression" },
    ]);
  }
}

/** Log files under a root, newest first: a bounded walk (depth 4, 2000 entries) that skips dependencies. */
function findLogs(root: Root) {
  const found: { path: string; size: number; mtime: string }[] = [];
  const queue: [string, number][] = [["", 0]];
  let seen = 0;
  while (queue.length && seen < 2000) {
    const [rel, depth] = queue.shift() as [string, number];
    let names: string[];
    try {
      names = readdirSync(join(root.real, rel));
    } catch {
      continue;
    }
    for (const name of names) {
      if (++seen > 2000) break;
      const path = rel ? `${rel}/${name}` : name;
      let st: ReturnType<typeof lstatSync>;
      try {
        st = lstatSync(join(root.real, path));
      } catch {
        continue;
      }
      if (st.isDirectory() && depth < 4 && !SKIP.has(name)) queue.push([path, depth + 1]);
      else if (st.isFile() && LOG_FILE.test(name)) found.push({ path, size: st.size, mtime: st.mtime.toISOString() });
    }
  }
  return found.sort((a, b) => b.mtime.localeCompare(a.mtime)).slice(0, 200);
}

/** GET /api/logs (files to follow) and the follow WebSocket /api/logs/ws with byte-cursor resume. */
export function createLogsRoutes(deps: LogsDeps) {
  const roots = new Roots({ ...deps, panel: "logs" });
  const sockets = new Map<string, { timer?: Timer; closed: boolean }>();
  return new Elysia({ prefix: "/api/logs" })
    .use(panelGuard(deps.registry, "logs"))
    .ws("/ws", {
      query: LogWsQuery,
      async beforeHandle({ request, query }) {
        if (!originAllowed(request, deps.allowedOrigins)) throw new AppError("forbidden", "origin not allowed");
        const token = tokenFrom(request);
        if (!token) throw new AppError("unauthorized", "missing token");
        if (!deps.auth.verify(token)) throw new AppError("unauthorized", "invalid or expired token");
        compileGrep(query.grep);
        if (!query.sessionId && !query.root) throw invalidField("sessionId", "give sessionId or root");
        // Refuse before the upgrade: a missing file or one outside the root answers 404/403, not a socket.
        const root = await roots.resolve(query);
        closeSync(openInside(root, resolveInside(root, query.path)));
      },
      async open(ws) {
        const q = ws.data.query;
        const state: { timer?: Timer; closed: boolean } = { closed: false };
        sockets.set(ws.id, state);
        const send = (f: LogFrame) => ws.send(JSON.stringify(f));
        try {
          const tail = new LogTail(await roots.resolve(q), q.path, compileGrep(q.grep));
          for (const f of tail.open(q.since)) send(f);
          const tick = () => {
            if (state.closed) return;
            try {
              for (const f of tail.poll()) send(f);
              state.timer = setTimeout(tick, LOG_POLL_MS);
            } catch (e) {
              send({ type: "error", message: e instanceof AppError ? e.message : "the log cannot be read" });
              ws.close();
            }
          };
          tick();
        } catch (e) {
          send({ type: "error", message: e instanceof AppError ? e.message : "the log cannot be read" });
          ws.close();
        }
      },
      close(ws) {
        const s = sockets.get(ws.id);
        if (s) {
          s.closed = true;
          clearTimeout(s.timer);
        }
        sockets.delete(ws.id);
      },
    })
    .use(requireAuth(deps.auth))
    .get("/", async ({ query }) => ({ files: findLogs(await roots.resolve(query)) }), { query: LogListQuery });
}
