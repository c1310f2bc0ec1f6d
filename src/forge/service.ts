import { AppError } from "../errors";
import type { ConfigValue } from "../plugins/config-values";
import { giteaClient } from "./gitea";
import { githubClient } from "./github";
import { gitlabClient } from "./gitlab";
import type { ForgeClient, RepoRef } from "./model";
import { resolveRepo } from "./remote";

async function git(cwd: string, args: string[]): Promise<string | null> {
  const proc = Bun.spawn(["git", "--no-pager", "-C", cwd, ...args], {
    stdout: "pipe",
    stderr: "ignore",
    stdin: "ignore",
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0" },
  });
  const timer = setTimeout(() => proc.kill(), 20_000);
  const out = await new Response(proc.stdout).text();
  clearTimeout(timer);
  return (await proc.exited) === 0 ? out.trim() : null;
}

/** origin's URL and the checked-out branch of the repository at `cwd`. */
export async function localRepo(cwd: string) {
  const remote = await git(cwd, ["remote", "get-url", "origin"]);
  if (!remote) throw new AppError("not_found", "the session's directory is not a git repository with an origin remote");
  const branch = await git(cwd, ["rev-parse", "--abbrev-ref", "HEAD"]);
  return { remote, branch: branch && branch !== "HEAD" ? branch : null };
}

export function forgeClient(repo: RepoRef, token?: string): ForgeClient {
  if (repo.forge === "gitlab") return gitlabClient(repo, token);
  if (repo.forge === "gitea") return giteaClient(repo, token);
  return githubClient(repo, token);
}

/** The GitHub CLI's token, when the user opted in; null when gh is missing or signed out. */
export async function ghAuthToken(host: string): Promise<string | null> {
  try {
    const proc = Bun.spawn(["gh", "auth", "token", "--hostname", host], { stdout: "pipe", stderr: "ignore" });
    const out = (await new Response(proc.stdout).text()).trim();
    return (await proc.exited) === 0 && out ? out : null;
  } catch {
    return null;
  }
}

export interface ForgeSource {
  config(name: string): Record<string, ConfigValue>;
  sessionCwd(id: string): Promise<string>;
  ghToken?(host: string): Promise<string | null>;
}

const str = (v: ConfigValue | undefined) => (typeof v === "string" && v ? v : undefined);

/** The session's repository on its forge, its branch, and a client with the panel's token. */
export async function sessionForge(src: ForgeSource, sessionId: string) {
  const { remote, branch } = await localRepo(await src.sessionCwd(sessionId));
  const config = src.config("forge");
  const repo = resolveRepo(remote, { forgeType: str(config.forgeType), baseUrl: str(config.baseUrl) });
  let token = str(config.token);
  if (!token && config.useGhToken === true && repo.forge === "github")
    token = (await (src.ghToken ?? ghAuthToken)(repo.host)) ?? undefined;
  return { repo, branch, tokenSet: !!token, client: forgeClient(repo, token) };
}

/** The docs panel's repository: Forge, Base URL (or the public host), owner/name, branch. */
export function docsForge(config: Record<string, ConfigValue>) {
  const path = str(config.repo);
  if (!path || !/^[^/\s]+(\/[^/\s]+)+$/.test(path))
    throw new AppError("bad_request", "set the docs panel's Repository (owner/name) first");
  const forge = str(config.forgeType) ?? "github";
  const publicHost = forge === "gitlab" ? "gitlab.com" : forge === "gitea" ? "gitea.com" : "github.com";
  const web = str(config.baseUrl)?.replace(/\/+$/, "") ?? `https://${publicHost}`;
  const repo = resolveRepo(`${web}/${path}`, { forgeType: forge, baseUrl: str(config.baseUrl) });
  return { repo, branch: str(config.branch) ?? "main", client: forgeClient(repo, str(config.token)) };
}
