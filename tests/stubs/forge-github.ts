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
 * GitHub Enterprise-style REST v3 under /api/v3 (docs.github.com/en/rest): pulls with state/head
 * filters, per_page/page paging with a Link header, `Authorization: Bearer`, 401 `Bad credentials`.
 */
export function startGithubStub(opts: { owner: string; repo: string; token: string }): ForgeStub {
  const pulls = stubPulls();
  const base = `/api/v3/repos/${opts.owner}/${opts.repo}`;
  const ghPull = (p: StubPull, url: URL) => ({
    number: p.number,
    title: p.title,
    state: p.state === "open" ? "open" : "closed",
    merged_at: p.state === "merged" ? p.updated : null,
    draft: false,
    user: { login: p.author },
    head: { ref: p.branch, sha: p.sha, label: `${opts.owner}:${p.branch}` },
    base: { ref: p.base },
    html_url: `${url.origin}/${opts.owner}/${opts.repo}/pull/${p.number}`,
    created_at: p.created,
    updated_at: p.updated,
    body: p.body,
  });
  const list = <T>(items: T[], url: URL) => {
    const pg = page(items, Number(url.searchParams.get("page") ?? 1), Number(url.searchParams.get("per_page") ?? 30));
    return json(pg.slice, { link: linkHeader(url, pg.next, pg.last) });
  };
  return serveForge((req, url) => {
    if (req.headers.get("authorization") !== `Bearer ${opts.token}`)
      return json({ message: "Bad credentials", documentation_url: "https://docs.github.com/rest" }, {}, 401);
    const p = url.pathname;
    if (p === `${base}/pulls`) {
      const state = url.searchParams.get("state") ?? "open";
      const head = url.searchParams.get("head");
      let items = pulls.filter((x) => state === "all" || (state === "open" ? x.state === "open" : x.state !== "open"));
      if (head) items = items.filter((x) => `${opts.owner}:${x.branch}` === head);
      return list(
        items.map((x) => ghPull(x, url)),
        url,
      );
    }
    const m = /^\/pulls\/(\d+)(\/comments|\/reviews)?$/.exec(p.slice(base.length));
    const issue = /^\/issues\/(\d+)\/comments$/.exec(p.slice(base.length));
    const pr = pulls.find((x) => x.number === Number(m?.[1] ?? issue?.[1]));
    if (issue && pr) {
      const comments = Array.from({ length: 30 }, (_, i) => ({
        id: 1000 + i,
        user: { login: "alice" },
        body: `conversation ${i + 1}`,
        created_at: `2026-11-01T10:${String(i).padStart(2, "0")}:00Z`,
      }));
      return list(comments, url);
    }
    if (m && pr) {
      if (m[2] === "/comments")
        return list(
          [
            {
              id: 5,
              user: { login: "bob" },
              body: "rename this",
              path: "src/login.ts",
              line: 1,
              created_at: "2026-11-01T09:00:00Z",
            },
          ],
          url,
        );
      if (m[2] === "/reviews")
        return list(
          [
            {
              id: 9,
              user: { login: "bob" },
              state: "CHANGES_REQUESTED",
              body: "please fix",
              submitted_at: "2026-11-02T09:00:00Z",
            },
          ],
          url,
        );
      if (req.headers.get("accept") === "application/vnd.github.diff")
        return new Response(STUB_DIFF, { headers: { "content-type": "text/plain" } });
      return json(ghPull(pr, url));
    }
    const runs = /^\/commits\/([0-9a-f]+)\/(check-runs|status)$/.exec(p.slice(base.length));
    if (runs && pulls.some((x) => x.sha === runs[1])) {
      if (runs[2] === "status")
        return json({
          state: "pending",
          statuses: [{ context: "ci/legacy", state: "pending", target_url: "https://ci.example/1" }],
        });
      const pg = page(
        [
          { name: "build", status: "completed", conclusion: "success", html_url: "https://gh.example/run/1" },
          { name: "lint", status: "completed", conclusion: "failure", html_url: "https://gh.example/run/2" },
        ],
        1,
        100,
      );
      return json({ total_count: pg.total, check_runs: pg.slice });
    }
    if (p.startsWith(`${base}/git/trees/`) && decodeURIComponent(p.slice(`${base}/git/trees/`.length)) === "main")
      return json({
        sha: "t",
        tree: [...Object.keys(STUB_DOCS).map((path) => ({ path, type: "blob" })), { path: "docs", type: "tree" }],
        truncated: false,
      });
    if (p.startsWith(`${base}/contents/`)) {
      const path = decodeURIComponent(p.slice(`${base}/contents/`.length));
      const text = STUB_DOCS[path];
      if (text !== undefined && url.searchParams.get("ref") === "main" && req.headers.get("accept")?.includes("raw"))
        return new Response(text);
    }
    return json({ message: "Not Found" }, {}, 404);
  });
}
