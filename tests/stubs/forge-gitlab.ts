import {
  type ForgeStub,
  json,
  linkHeader,
  page,
  STUB_DOCS,
  type StubPull,
  serveForge,
  stubPulls,
} from "./forge-common";

/**
 * GitLab REST v4 (docs.gitlab.com/ee/api): a project addressed by its URL-encoded path, merge
 * requests by iid, paging by page/per_page with x-next-page (empty on the last page), x-total and a
 * Link header, `PRIVATE-TOKEN` auth, 401 `{"message":"401 Unauthorized"}`.
 */
export function startGitlabStub(opts: { project: string; token: string }): ForgeStub {
  const pulls = stubPulls();
  const base = `/api/v4/projects/${encodeURIComponent(opts.project)}`;
  const mr = (p: StubPull, url: URL) => ({
    iid: p.number,
    id: 9000 + p.number,
    title: p.title,
    state: p.state === "open" ? "opened" : p.state,
    draft: false,
    author: { username: p.author },
    source_branch: p.branch,
    target_branch: p.base,
    sha: p.sha,
    web_url: `${url.origin}/${opts.project}/-/merge_requests/${p.number}`,
    created_at: p.created,
    updated_at: p.updated,
    description: p.body,
  });
  const list = <T>(items: T[], url: URL) => {
    const n = Number(url.searchParams.get("page") ?? 1);
    const pg = page(items, n, Number(url.searchParams.get("per_page") ?? 20));
    return json(pg.slice, {
      "x-page": String(n),
      "x-next-page": pg.next ? String(pg.next) : "",
      "x-total": String(pg.total),
      link: linkHeader(url, pg.next, pg.last),
    });
  };
  return serveForge((req, url) => {
    if (req.headers.get("private-token") !== opts.token) return json({ message: "401 Unauthorized" }, {}, 401);
    const raw = url.pathname;
    if (raw === `${base}/merge_requests`) {
      const state = url.searchParams.get("state") ?? "all";
      const branch = url.searchParams.get("source_branch");
      let items = pulls.filter((p) => state === "all" || (state === "opened" ? p.state === "open" : p.state === state));
      if (branch) items = items.filter((p) => p.branch === branch);
      return list(
        items.map((p) => mr(p, url)),
        url,
      );
    }
    const m = /^\/merge_requests\/(\d+)(\/diffs|\/notes|\/approvals|\/pipelines)?$/.exec(raw.slice(base.length));
    const pr = pulls.find((p) => p.number === Number(m?.[1]));
    if (m && pr) {
      if (m[2] === "/diffs")
        return list(
          [
            {
              old_path: "src/login.ts",
              new_path: "src/login.ts",
              new_file: true,
              deleted_file: false,
              renamed_file: false,
              diff: '@@ -0,0 +1,2 @@\n+export const login = () => "added line";\n+export const logout = () => null;\n',
            },
          ],
          url,
        );
      if (m[2] === "/notes")
        return list(
          [
            ...Array.from({ length: 28 }, (_, i) => ({
              id: 100 + i,
              body: `note ${i + 1}`,
              system: false,
              author: { username: "alice" },
              created_at: `2026-11-01T10:${String(i).padStart(2, "0")}:00Z`,
            })),
            {
              id: 200,
              body: "added 1 commit",
              system: true,
              author: { username: "alice" },
              created_at: "2026-11-01T11:00:00Z",
            },
            {
              id: 201,
              body: "rename this",
              system: false,
              author: { username: "bob" },
              created_at: "2026-11-01T11:01:00Z",
              position: { new_path: "src/login.ts", new_line: 1, old_line: null },
            },
          ],
          url,
        );
      if (m[2] === "/approvals")
        return json({
          approved: true,
          approved_by: [{ user: { username: "carol" } }],
          updated_at: "2026-11-03T00:00:00Z",
        });
      if (m[2] === "/pipelines")
        return list(
          [
            { id: 51, status: "failed", ref: pr.branch, web_url: `${url.origin}/p/51` },
            { id: 50, status: "success", ref: pr.branch, web_url: `${url.origin}/p/50` },
          ],
          url,
        );
      return json(mr(pr, url));
    }
    if (raw === "/api/v4/projects/" + encodeURIComponent(opts.project) + "/pipelines/51/jobs")
      return list(
        [
          { name: "test", status: "failed", stage: "test", web_url: `${url.origin}/j/1` },
          { name: "deploy", status: "manual", stage: "deploy", web_url: `${url.origin}/j/2` },
        ],
        url,
      );
    if (
      raw === `${base}/repository/tree` &&
      url.searchParams.get("ref") === "main" &&
      url.searchParams.get("recursive") === "true"
    )
      return list(
        [{ path: "docs", type: "tree" }, ...Object.keys(STUB_DOCS).map((path) => ({ path, type: "blob" }))],
        url,
      );
    const file = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/repository/files/([^/]+)/raw$`).exec(raw);
    if (file && url.searchParams.get("ref") === "main") {
      const text = STUB_DOCS[decodeURIComponent(file[1] ?? "")];
      if (text !== undefined) return new Response(text, { headers: { "content-type": "text/plain" } });
    }
    return json({ message: "404 Not Found" }, {}, 404);
  });
}
