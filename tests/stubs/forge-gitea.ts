import {
  type ForgeStub,
  json,
  linkHeader,
  page,
  STUB_DIFF,
  STUB_DOCS,
  type StubPull,
  serveForge,
  stubPulls,
} from "./forge-common";

/**
 * Gitea / Forgejo API v1 (gitea.com/api/swagger): pulls by state with page/limit paging, a Link
 * header and x-total-count, `/pulls/{n}.diff`, reviews with their comments, the combined commit
 * status, `Authorization: token …`, 401 for a bad token.
 */
export function startGiteaStub(opts: { owner: string; repo: string; token: string }): ForgeStub {
  const pulls = stubPulls();
  const base = `/api/v1/repos/${opts.owner}/${opts.repo}`;
  const pull = (p: StubPull, url: URL) => ({
    number: p.number,
    title: p.title,
    state: p.state === "open" ? "open" : "closed",
    merged: p.state === "merged",
    draft: false,
    user: { login: p.author },
    head: { ref: p.branch, sha: p.sha },
    base: { ref: p.base },
    html_url: `${url.origin}/${opts.owner}/${opts.repo}/pulls/${p.number}`,
    created_at: p.created,
    updated_at: p.updated,
    body: p.body,
  });
  const list = <T>(items: T[], url: URL) => {
    const pg = page(items, Number(url.searchParams.get("page") ?? 1), Number(url.searchParams.get("limit") ?? 30));
    return json(pg.slice, { link: linkHeader(url, pg.next, pg.last), "x-total-count": String(pg.total) });
  };
  return serveForge((req, url) => {
    if (req.headers.get("authorization") !== `token ${opts.token}`)
      return json({ message: "invalid username, password or token", url: `${url.origin}/api/swagger` }, {}, 401);
    const p = url.pathname.slice(base.length);
    if (!url.pathname.startsWith(base)) return json({ message: "not found" }, {}, 404);
    if (p === "/pulls") {
      const state = url.searchParams.get("state") ?? "open";
      const items = pulls.filter(
        (x) => state === "all" || (state === "open" ? x.state === "open" : x.state !== "open"),
      );
      return list(
        items.map((x) => pull(x, url)),
        url,
      );
    }
    const diff = /^\/pulls\/(\d+)\.diff$/.exec(p);
    if (diff && pulls.some((x) => x.number === Number(diff[1]))) return new Response(STUB_DIFF);
    const m = /^\/(pulls|issues)\/(\d+)(\/comments|\/reviews|\/reviews\/9\/comments)?$/.exec(p);
    const pr = pulls.find((x) => x.number === Number(m?.[2]));
    if (m && pr) {
      if (m[1] === "issues" && m[3] === "/comments")
        return list(
          Array.from({ length: 30 }, (_, i) => ({
            id: 700 + i,
            user: { login: "alice" },
            body: `conversation ${i + 1}`,
            created_at: `2026-11-01T10:${String(i).padStart(2, "0")}:00Z`,
          })),
          url,
        );
      if (m[1] === "pulls" && m[3] === "/reviews")
        return list(
          [
            {
              id: 9,
              user: { login: "bob" },
              state: "REQUEST_CHANGES",
              body: "please fix",
              comments_count: 1,
              submitted_at: "2026-11-02T09:00:00Z",
            },
          ],
          url,
        );
      if (m[1] === "pulls" && m[3] === "/reviews/9/comments")
        return json([
          {
            id: 5,
            user: { login: "bob" },
            body: "rename this",
            path: "src/login.ts",
            position: 1,
            created_at: "2026-11-01T09:00:00Z",
          },
        ]);
      if (m[1] === "pulls" && !m[3]) return json(pull(pr, url));
    }
    const status = /^\/commits\/([0-9a-f]+)\/status$/.exec(p);
    if (status && pulls.some((x) => x.sha === status[1]))
      return json({
        state: "failure",
        sha: status[1],
        statuses: [
          { context: "woodpecker/build", status: "success", target_url: "https://ci.example/b" },
          { context: "woodpecker/test", status: "failure", target_url: "https://ci.example/t" },
        ],
      });
    if (p === "/git/trees/main" && url.searchParams.get("recursive") === "true") {
      // Gitea pages a big tree with `truncated` and `page`; this one comes in pages of 3.
      const entries = [
        { path: "docs", type: "tree" },
        ...Object.keys(STUB_DOCS).map((path) => ({ path, type: "blob" })),
      ];
      const n = Number(url.searchParams.get("page") ?? 1);
      const slice = entries.slice((n - 1) * 3, n * 3);
      return json({ sha: "t", tree: slice, truncated: n * 3 < entries.length, page: n, total_count: entries.length });
    }
    if (p.startsWith("/raw/") && url.searchParams.get("ref") === "main") {
      const text = STUB_DOCS[decodeURIComponent(p.slice("/raw/".length))];
      if (text !== undefined) return new Response(text);
    }
    return json({ message: "not found" }, {}, 404);
  });
}
