import * as v from "valibot";
import { limitParam } from "../shared/schema";

export const FORGES = ["github", "gitlab", "gitea"] as const;
export type ForgeKind = (typeof FORGES)[number];

const sessionId = v.pipe(v.string("sessionId is required"), v.uuid("sessionId must be a session id"));
const limit = limitParam(100, 30);

export const RepoQuery = v.object({ sessionId });
export const PullsQuery = v.object({
  sessionId,
  state: v.optional(v.picklist(["open", "closed", "all"], "state must be open, closed or all"), "open"),
  limit,
});
export const PullParams = v.object({
  number: v.pipe(v.string(), v.regex(/^[1-9][0-9]{0,9}$/, "a pull request number"), v.transform(Number)),
});

export const DocsTreeQuery = v.object({});
export const DocsFileQuery = v.object({
  path: v.pipe(
    v.string("path is required"),
    v.minLength(1, "path is required"),
    v.maxLength(1000, "at most 1000 characters"),
    v.check((p) => !p.split("/").includes("..") && !p.startsWith("/"), "a path inside the repository"),
  ),
});
export const DocsSearchQuery = v.object({
  q: v.pipe(v.string("q is required"), v.minLength(1, "q is required"), v.maxLength(200, "at most 200 characters")),
});

/** Where a repository lives and how to reach its API. */
export interface RepoRef {
  forge: ForgeKind;
  /** The web host, such as github.com. */
  host: string;
  /** owner/name; GitLab groups may nest (group/sub/name). */
  path: string;
  /** The REST API root, such as https://api.github.com. */
  apiBase: string;
  webBase: string;
}

export interface PullRequest {
  number: number;
  title: string;
  state: "open" | "closed" | "merged";
  draft: boolean;
  author: string;
  sourceBranch: string;
  targetBranch: string;
  headSha: string | null;
  url: string;
  createdAt: string;
  updatedAt: string;
  body?: string;
}

export interface PrComment {
  id: string;
  author: string;
  body: string;
  createdAt: string;
  /** Review comments on a line of the diff; absent for the conversation. */
  path?: string;
  line?: number | null;
}

export interface PrReview {
  id: string;
  author: string;
  /** approved, changes_requested, commented, pending, dismissed. */
  state: string;
  body: string;
  submittedAt: string | null;
}

export interface PrCheck {
  name: string;
  /** queued, in_progress, completed. */
  status: string;
  /** success, failure, neutral, cancelled, skipped, timed_out, action_required, pending, or null. */
  conclusion: string | null;
  url: string | null;
  source: "check-run" | "status" | "pipeline" | "job";
}

export interface ForgeClient {
  pulls(state: "open" | "closed" | "all", limit: number): Promise<PullRequest[]>;
  /** The pull requests whose source branch is `branch`, newest first. */
  pullsForBranch(branch: string): Promise<PullRequest[]>;
  pull(n: number): Promise<PullRequest>;
  diff(n: number): Promise<string>;
  comments(n: number): Promise<PrComment[]>;
  reviews(n: number): Promise<PrReview[]>;
  checks(n: number): Promise<PrCheck[]>;
  /** Docs reader: every file path of `ref`, and one file's text. */
  tree(ref: string): Promise<string[]>;
  file(path: string, ref: string): Promise<string>;
}
