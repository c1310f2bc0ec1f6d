import { AppError } from "../errors";
import { FORGES, type ForgeKind, type RepoRef } from "./model";

const KNOWN: Record<string, ForgeKind> = {
  "github.com": "github",
  "gitlab.com": "gitlab",
  "codeberg.org": "gitea",
  "gitea.com": "gitea",
};

/** host and repository path of a remote URL: https, ssh:// and scp-style (git@host:owner/name.git). */
export function parseRemote(url: string): { host: string; path: string } | null {
  const trimmed = url.trim();
  let host: string;
  let path: string;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)(.+)$/.exec(trimmed);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    let u: URL;
    try {
      u = new URL(trimmed);
    } catch {
      return null;
    }
    host = u.port ? `${u.hostname}:${u.port}` : u.hostname;
    path = decodeURIComponent(u.pathname);
  } else if (scp) {
    host = scp[1] ?? "";
    path = scp[2] ?? "";
  } else return null;
  path = path
    .replace(/^\/+|\/+$/g, "")
    .replace(/\.git$/, "")
    .replace(/^scm\//, "");
  if (!host || path.split("/").length < 2) return null;
  return { host: host.toLowerCase(), path };
}

export interface ForgeSettings {
  forgeType?: string;
  baseUrl?: string;
}

const apiRoot = (forge: ForgeKind, web: string, host: string) => {
  if (forge === "github") return host === "github.com" ? "https://api.github.com" : `${web}/api/v3`;
  return forge === "gitlab" ? `${web}/api/v4` : `${web}/api/v1`;
};

/** Which forge a remote belongs to: the configured self-hosted server for its host, else a known public one. */
export function resolveRepo(remoteUrl: string, settings: ForgeSettings): RepoRef {
  const parsed = parseRemote(remoteUrl);
  if (!parsed) throw new AppError("bad_request", `origin (${remoteUrl}) is not a repository URL a forge serves`);
  const base = settings.baseUrl?.trim().replace(/\/+$/, "");
  if (base) {
    let u: URL;
    try {
      u = new URL(base);
    } catch {
      throw new AppError("bad_request", "the forge panel's Base URL is not a URL");
    }
    const baseHost = (u.port ? `${u.hostname}:${u.port}` : u.hostname).toLowerCase();
    // An ssh remote names the host without the web port.
    if (baseHost === parsed.host || u.hostname.toLowerCase() === parsed.host.split(":")[0]) {
      const forge = (FORGES as readonly string[]).includes(settings.forgeType ?? "")
        ? (settings.forgeType as ForgeKind)
        : "github";
      return { forge, host: baseHost, path: parsed.path, webBase: base, apiBase: apiRoot(forge, base, baseHost) };
    }
  }
  const host = parsed.host.split(":")[0] ?? parsed.host;
  const forge = KNOWN[host];
  if (!forge)
    throw new AppError(
      "bad_request",
      `${parsed.host} is not a forge OpenDray knows: set the forge panel's Base URL and Forge for a self-hosted server`,
    );
  const web = `https://${host}`;
  return { forge, host, path: parsed.path, webBase: web, apiBase: apiRoot(forge, web, host) };
}
