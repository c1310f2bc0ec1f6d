import { ForgeHttp, linkNext, withQuery } from "./http";
import type { ForgeClient, PrCheck, PrComment, PrReview, PullRequest, RepoRef } from "./model";
import { type RestPull, restPull } from "./pull";

interface GtPull extends RestPull {
  merged?: boolean;
}

const pull = (p: GtPull, withBody = false): PullRequest => restPull(p, !!p.merged, withBody);

/** Gitea / Forgejo API v1 (gitea.com/api/swagger): pulls, comments, reviews, combined commit status. */
export function giteaClient(repo: RepoRef, token?: string): ForgeClient {
  const http = new ForgeHttp({
    name: repo.host,
    headers: {
      accept: "application/json",
      "user-agent": "opendray",
      ...(token ? { authorization: `token ${token}` } : {}),
    },
    nextPage: linkNext,
  });
  const base = `${repo.apiBase}/repos/${repo.path}`;
  const get = (n: number) => http.json<GtPull>(`${base}/pulls/${n}`);
  return {
    async pulls(state, limit) {
      const list = await http.paged<GtPull>(
        withQuery(`${base}/pulls`, { state, limit: Math.min(limit, 50), sort: "recentupdate" }),
        limit,
      );
      return list.map((p) => pull(p));
    },
    async pullsForBranch(branch) {
      // The list has no head filter: look through the recent ones.
      const list = await http.paged<GtPull>(
        withQuery(`${base}/pulls`, { state: "all", limit: 50, sort: "recentupdate" }),
        200,
      );
      return list.filter((p) => p.head.ref === branch).map((p) => pull(p));
    },
    pull: async (n) => pull(await get(n), true),
    diff: (n) => http.text(`${base}/pulls/${n}.diff`, "text/plain"),
    async comments(n) {
      type C = { id: number; user?: { login?: string }; body: string; created_at: string };
      type RC = C & { path?: string; position?: number; original_position?: number };
      const [conversation, reviews] = await Promise.all([
        http.paged<C>(withQuery(`${base}/issues/${n}/comments`, { limit: 50 }), 1000),
        http.paged<{ id: number; comments_count?: number }>(
          withQuery(`${base}/pulls/${n}/reviews`, { limit: 50 }),
          200,
        ),
      ]);
      const inline = await Promise.all(
        reviews
          .filter((r) => (r.comments_count ?? 1) > 0)
          .map((r) => http.json<RC[]>(`${base}/pulls/${n}/reviews/${r.id}/comments`)),
      );
      const out: PrComment[] = [
        ...conversation.map((c) => ({
          id: `issue-${c.id}`,
          author: c.user?.login ?? "",
          body: c.body,
          createdAt: c.created_at,
        })),
        ...inline.flat().map((c) => ({
          id: `review-${c.id}`,
          author: c.user?.login ?? "",
          body: c.body,
          createdAt: c.created_at,
          path: c.path,
          line: c.position || c.original_position || null,
        })),
      ];
      return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },
    async reviews(n) {
      type R = { id: number; user?: { login?: string }; state: string; body?: string; submitted_at?: string | null };
      const list = await http.paged<R>(withQuery(`${base}/pulls/${n}/reviews`, { limit: 50 }), 200);
      const states: Record<string, string> = {
        APPROVED: "approved",
        REQUEST_CHANGES: "changes_requested",
        COMMENT: "commented",
      };
      return list.map(
        (r): PrReview => ({
          id: String(r.id),
          author: r.user?.login ?? "",
          state: states[r.state] ?? r.state.toLowerCase(),
          body: r.body ?? "",
          submittedAt: r.submitted_at ?? null,
        }),
      );
    },
    async checks(n) {
      const sha = (await get(n)).head.sha;
      type S = { context: string; status: string; target_url?: string | null };
      const combined = await http.json<{ statuses: S[] | null }>(`${base}/commits/${sha}/status`);
      return (combined.statuses ?? []).map(
        (s): PrCheck => ({
          name: s.context,
          status: s.status === "pending" ? "in_progress" : "completed",
          conclusion: s.status === "error" ? "failure" : s.status,
          url: s.target_url ?? null,
          source: "status",
        }),
      );
    },
    async tree(ref) {
      const out: string[] = [];
      // Large trees come in pages (`truncated` with `page`).
      for (let page = 1; page <= 20; page++) {
        const t = await http.json<{ tree: { path: string; type: string }[]; truncated?: boolean }>(
          withQuery(`${base}/git/trees/${encodeURIComponent(ref)}`, { recursive: "true", per_page: 1000, page }),
        );
        out.push(...t.tree.filter((e) => e.type === "blob").map((e) => e.path));
        if (!t.truncated) break;
      }
      return out;
    },
    file: (path, ref) =>
      http.text(withQuery(`${base}/raw/${path.split("/").map(encodeURIComponent).join("/")}`, { ref })),
  };
}
