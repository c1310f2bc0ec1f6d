/**
 * Shared parts of the local forge servers (GitHub, GitLab, Gitea): one repository's pull requests,
 * comments, reviews and checks, served by each stub in its forge's own JSON shapes and paging.
 */

export const PER_PAGE_CAP = 25;

export interface StubPull {
  number: number;
  title: string;
  state: "open" | "closed" | "merged";
  author: string;
  branch: string;
  base: string;
  sha: string;
  created: string;
  updated: string;
  body: string;
}

/** 70 open pull requests, newest first; #7 (branch feature/login) is old, so it is not on the first page. */
export function stubPulls(): StubPull[] {
  const out: StubPull[] = [];
  for (let n = 80; n >= 1; n--) {
    const day = String(1 + (n % 28)).padStart(2, "0");
    out.push({
      number: n,
      title: n === 7 ? "Add the login page" : `Change number ${n}`,
      state: n > 70 && n % 2 === 0 ? "closed" : n > 70 ? "merged" : "open",
      author: n % 3 ? "alice" : "bob",
      branch: n === 7 ? "feature/login" : `topic-${n}`,
      base: "main",
      sha: `${String(n).padStart(4, "0")}${"a".repeat(36)}`,
      created: `2026-${n > 40 ? "11" : "10"}-${day}T10:00:00Z`,
      updated: `2026-11-${day}T12:00:00Z`,
      body: `Body of #${n}`,
    });
  }
  return out.filter((p) => p.state === "open").concat(out.filter((p) => p.state !== "open"));
}

export const STUB_DIFF = `diff --git a/src/login.ts b/src/login.ts
new file mode 100644
--- /dev/null
+++ b/src/login.ts
@@ -0,0 +1,2 @@
+export const login = () => "added line";
+export const logout = () => null;
`;

export const STUB_DOCS: Record<string, string> = {
  "README.md": "# Widgets\n\nSee [the guide](docs/guide.md).\n",
  "docs/guide.md": "# Guide\n\n- [ ] a task\n",
  "docs/Daily Notes/2026-11-30.md": "# Monday\n",
  "src/index.ts": "export {};\n",
};

/** Slices a list the way a paging API does; `next` is the following page number or null. */
export function page<T>(items: T[], pageNo: number, perPage: number) {
  const size = Math.max(1, Math.min(perPage, PER_PAGE_CAP));
  const start = (pageNo - 1) * size;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? pageNo + 1 : null;
  return { slice, next, total: items.length, last: Math.max(1, Math.ceil(items.length / size)) };
}

export function linkHeader(url: URL, next: number | null, last: number) {
  const at = (p: number) => {
    const u = new URL(url);
    u.searchParams.set("page", String(p));
    return u.toString();
  };
  const parts = [`<${at(last)}>; rel="last"`];
  if (next) parts.unshift(`<${at(next)}>; rel="next"`);
  return parts.join(", ");
}

export interface ForgeStub {
  url: string;
  /** Requests seen: method, path with query, the auth header, and whether it was answered 304. */
  requests: { path: string; auth: string | null; notModified: boolean }[];
  stop(): void;
}

/** A Bun server that logs requests and answers ETag revalidations with 304. */
export function serveForge(handle: (req: Request, url: URL) => Response | Promise<Response>): ForgeStub {
  const requests: ForgeStub["requests"] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      const entry = {
        path: url.pathname + url.search,
        auth: req.headers.get("authorization") ?? req.headers.get("private-token"),
        notModified: false,
      };
      requests.push(entry);
      const res = await handle(req, url);
      if (res.ok && req.method === "GET") {
        const body = await res.clone().arrayBuffer();
        const etag = `"${new Bun.CryptoHasher("sha1").update(body).digest("hex")}"`;
        if (req.headers.get("if-none-match") === etag) {
          entry.notModified = true;
          return new Response(null, { status: 304, headers: { etag } });
        }
        res.headers.set("etag", etag);
      }
      return res;
    },
  });
  return { url: `http://127.0.0.1:${server.port}`, requests, stop: () => server.stop(true) };
}

export const json = (body: unknown, headers: Record<string, string> = {}, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
