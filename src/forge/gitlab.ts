import { ForgeHttp, linkNext, withQuery } from "./http";
import type { ForgeClient, PrCheck, PrComment, PullRequest, RepoRef } from "./model";

interface GlMr {
  iid: number;
  title: string;
  state: string;
  draft?: boolean;
  work_in_progress?: boolean;
  author?: { username?: string } | null;
  source_branch: string;
  target_branch: string;
  sha?: string | null;
  web_url: string;
  created_at: string;
  updated_at: string;
  description?: string | null;
}

const mr = (m: GlMr, withBody = false): PullRequest => ({
  number: m.iid,
  title: m.title,
  state: m.state === "merged" ? "merged" : m.state === "opened" ? "open" : "closed",
  draft: !!(m.draft ?? m.work_in_progress),
  author: m.author?.username ?? "",
  sourceBranch: m.source_branch,
  targetBranch: m.target_branch,
  headSha: m.sha ?? null,
  url: m.web_url,
  createdAt: m.created_at,
  updatedAt: m.updated_at,
  ...(withBody ? { body: m.description ?? "" } : {}),
});

/** GitLab REST v4 (docs.gitlab.com/api): merge requests, notes, approvals, pipelines and their jobs. */
export function gitlabClient(repo: RepoRef, token?: string): ForgeClient {
  const http = new ForgeHttp({
    name: repo.host,
    headers: { accept: "application/json", "user-agent": "opendray", ...(token ? { "private-token": token } : {}) },
    // GitLab sends both; x-next-page is empty on the last page.
    nextPage: (res, url) => {
      const next = res.headers.get("x-next-page");
      if (next) return withQuery(url, { page: next });
      return next === "" ? null : linkNext(res);
    },
  });
  const base = `${repo.apiBase}/projects/${encodeURIComponent(repo.path)}`;
  const states = { open: "opened", closed: "closed", all: "all" } as const;
  return {
    async pulls(state, limit) {
      const list = await http.paged<GlMr>(
        withQuery(`${base}/merge_requests`, { state: states[state], per_page: Math.min(limit, 100) }),
        limit,
      );
      return list.map((m) => mr(m));
    },
    async pullsForBranch(branch) {
      const list = await http.paged<GlMr>(
        withQuery(`${base}/merge_requests`, { source_branch: branch, state: "all", per_page: 10 }),
        10,
      );
      return list.map((m) => mr(m));
    },
    pull: async (n) => mr(await http.json<GlMr>(`${base}/merge_requests/${n}`), true),
    async diff(n) {
      type D = {
        old_path: string;
        new_path: string;
        diff: string;
        new_file: boolean;
        deleted_file: boolean;
        renamed_file: boolean;
      };
      const files = await http.paged<D>(withQuery(`${base}/merge_requests/${n}/diffs`, { per_page: 100 }), 3000);
      return files
        .map((f) => {
          const head = [`diff --git a/${f.old_path} b/${f.new_path}`];
          if (f.new_file) head.push("new file mode 100644");
          if (f.deleted_file) head.push("deleted file mode 100644");
          if (f.renamed_file) head.push(`rename from ${f.old_path}`, `rename to ${f.new_path}`);
          head.push(
            `--- ${f.new_file ? "/dev/null" : `a/${f.old_path}`}`,
            `+++ ${f.deleted_file ? "/dev/null" : `b/${f.new_path}`}`,
          );
          return `${head.join("\n")}\n${f.diff}`;
        })
        .join("");
    },
    async comments(n) {
      type Note = {
        id: number;
        body: string;
        system: boolean;
        author?: { username?: string };
        created_at: string;
        position?: { new_path?: string; new_line?: number | null; old_line?: number | null } | null;
      };
      const notes = await http.paged<Note>(
        withQuery(`${base}/merge_requests/${n}/notes`, { per_page: 100, sort: "asc", order_by: "created_at" }),
        1000,
      );
      return notes
        .filter((x) => !x.system)
        .map(
          (x): PrComment => ({
            id: String(x.id),
            author: x.author?.username ?? "",
            body: x.body,
            createdAt: x.created_at,
            ...(x.position?.new_path
              ? { path: x.position.new_path, line: x.position.new_line ?? x.position.old_line ?? null }
              : {}),
          }),
        );
    },
    async reviews(n) {
      type A = { approved_by?: { user?: { username?: string } }[]; updated_at?: string };
      const a = await http.json<A>(`${base}/merge_requests/${n}/approvals`);
      return (a.approved_by ?? []).map((x) => ({
        id: `approval-${x.user?.username ?? ""}`,
        author: x.user?.username ?? "",
        state: "approved",
        body: "",
        submittedAt: a.updated_at ?? null,
      }));
    },
    async checks(n) {
      type P = { id: number; status: string; web_url?: string; ref?: string };
      type J = { name: string; status: string; web_url?: string; stage?: string };
      const pipelines = await http.paged<P>(withQuery(`${base}/merge_requests/${n}/pipelines`, { per_page: 20 }), 20);
      const latest = pipelines[0];
      if (!latest) return [];
      const jobs = await http.paged<J>(withQuery(`${base}/pipelines/${latest.id}/jobs`, { per_page: 100 }), 300);
      const state = (s: string): Pick<PrCheck, "status" | "conclusion"> => {
        if (["created", "pending", "waiting_for_resource", "preparing", "scheduled", "manual"].includes(s))
          return { status: "queued", conclusion: null };
        if (s === "running") return { status: "in_progress", conclusion: null };
        const conclusion = s === "failed" ? "failure" : s === "canceled" ? "cancelled" : s;
        return { status: "completed", conclusion };
      };
      return [
        { name: `pipeline #${latest.id}`, ...state(latest.status), url: latest.web_url ?? null, source: "pipeline" },
        ...jobs.map((j) => ({ name: j.name, ...state(j.status), url: j.web_url ?? null, source: "job" as const })),
      ];
    },
    async tree(ref) {
      const entries = await http.paged<{ path: string; type: string }>(
        withQuery(`${base}/repository/tree`, { recursive: "true", ref, per_page: 100 }),
        20_000,
      );
      return entries.filter((e) => e.type === "blob").map((e) => e.path);
    },
    file: (path, ref) => http.text(withQuery(`${base}/repository/files/${encodeURIComponent(path)}/raw`, { ref })),
  };
}
