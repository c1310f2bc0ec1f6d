import { ForgeHttp, linkNext, withQuery } from "./http";
import type { ForgeClient, PrCheck, PrComment, PrReview, PullRequest, RepoRef } from "./model";
import { type RestPull, restPull } from "./pull";

interface GhUser {
  login?: string;
}
interface GhPull extends RestPull {
  merged_at?: string | null;
}

const pull = (p: GhPull, withBody = false): PullRequest => restPull(p, !!p.merged_at, withBody);

/** GitHub REST v3 (docs.github.com/rest): pulls, issue and review comments, reviews, check runs and statuses. */
export function githubClient(repo: RepoRef, token?: string): ForgeClient {
  const http = new ForgeHttp({
    name: repo.host,
    headers: {
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
      "user-agent": "opendray",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    nextPage: linkNext,
  });
  const base = `${repo.apiBase}/repos/${repo.path}`;
  const owner = repo.path.split("/")[0];
  const get = (n: number) => http.json<GhPull>(`${base}/pulls/${n}`);
  return {
    async pulls(state, limit) {
      const list = await http.paged<GhPull>(
        withQuery(`${base}/pulls`, { state, per_page: Math.min(limit, 100) }),
        limit,
      );
      return list.map((p) => pull(p));
    },
    async pullsForBranch(branch) {
      const list = await http.paged<GhPull>(
        withQuery(`${base}/pulls`, { state: "all", head: `${owner}:${branch}`, per_page: 10 }),
        10,
      );
      return list.map((p) => pull(p));
    },
    pull: async (n) => pull(await get(n), true),
    diff: (n) => http.text(`${base}/pulls/${n}`, "application/vnd.github.diff"),
    async comments(n) {
      type C = { id: number; user?: GhUser; body?: string; created_at: string; path?: string; line?: number | null };
      const [conversation, review] = await Promise.all([
        http.paged<C>(withQuery(`${base}/issues/${n}/comments`, { per_page: 100 }), 500),
        http.paged<C>(withQuery(`${base}/pulls/${n}/comments`, { per_page: 100 }), 500),
      ]);
      const out: PrComment[] = [
        ...conversation.map((c) => ({
          id: `issue-${c.id}`,
          author: c.user?.login ?? "",
          body: c.body ?? "",
          createdAt: c.created_at,
        })),
        ...review.map((c) => ({
          id: `review-${c.id}`,
          author: c.user?.login ?? "",
          body: c.body ?? "",
          createdAt: c.created_at,
          path: c.path,
          line: c.line ?? null,
        })),
      ];
      return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async reviews(n) {
      type R = { id: number; user?: GhUser; state: string; body?: string; submitted_at?: string | null };
      const list = await http.paged<R>(withQuery(`${base}/pulls/${n}/reviews`, { per_page: 100 }), 500);
      return list.map(
        (r): PrReview => ({
          id: String(r.id),
          author: r.user?.login ?? "",
          state: r.state.toLowerCase(),
          body: r.body ?? "",
          submittedAt: r.submitted_at ?? null,
        }),
      );
    },
    async checks(n) {
      const sha = (await get(n)).head.sha;
      type Run = { name: string; status: string; conclusion: string | null; html_url?: string | null };
      type Status = { context: string; state: string; target_url?: string | null };
      const [runs, status] = await Promise.all([
        http.paged<Run>(
          withQuery(`${base}/commits/${sha}/check-runs`, { per_page: 100 }),
          300,
          (p) => (p as { check_runs: Run[] }).check_runs,
        ),
        http.json<{ statuses: Status[] }>(`${base}/commits/${sha}/status`),
      ]);
      const out: PrCheck[] = [
        ...runs.map((r) => ({
          name: r.name,
          status: r.status,
          conclusion: r.conclusion,
          url: r.html_url ?? null,
          source: "check-run" as const,
        })),
        ...status.statuses.map((s) => ({
          name: s.context,
          status: s.state === "pending" ? "in_progress" : "completed",
          conclusion: s.state === "error" ? "failure" : s.state,
          url: s.target_url ?? null,
          source: "status" as const,
        })),
      ];
      return out;
    },
    async tree(ref) {
      const t = await http.json<{ tree: { path: string; type: string }[] }>(
        withQuery(`${base}/git/trees/${encodeURIComponent(ref)}`, { recursive: 1 }),
      );
      return t.tree.filter((e) => e.type === "blob").map((e) => e.path);
    },
    file: (path, ref) =>
      http.text(
        withQuery(`${base}/contents/${path.split("/").map(encodeURIComponent).join("/")}`, { ref }),
        "application/vnd.github.raw+json",
      ),
  };
}
