import type { PullRequest } from "./model";

/** The fields GitHub and Gitea/Forgejo pull requests share (their REST shapes match here). */
export interface RestPull {
  number: number;
  title: string;
  state: string;
  draft?: boolean;
  user?: { login?: string } | null;
  head: { ref: string; sha: string };
  base: { ref: string };
  html_url: string;
  created_at: string;
  updated_at: string;
  body?: string | null;
}

/** A GitHub or Gitea pull request as the API shows it; `merged` is read differently by each forge. */
export const restPull = (p: RestPull, merged: boolean, withBody = false): PullRequest => ({
  number: p.number,
  title: p.title,
  state: merged ? "merged" : p.state === "open" ? "open" : "closed",
  draft: !!p.draft,
  author: p.user?.login ?? "",
  sourceBranch: p.head.ref,
  targetBranch: p.base.ref,
  headSha: p.head.sha ?? null,
  url: p.html_url,
  createdAt: p.created_at,
  updatedAt: p.updated_at,
  ...(withBody ? { body: p.body ?? "" } : {}),
});
