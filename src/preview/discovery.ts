import { hostname } from "node:os";
import type { PortEntry } from "./model";
import { listeningPorts, type OwnedPort, processTree } from "./procfs";
import { scrapeUrls } from "./scrape";

/** How much of a session's latest output is searched for URLs. */
const SCRAPE_BYTES = 256 * 1024;

export interface DiscoverySession {
  id: string;
  name: string;
  pid: number | null;
}

export interface OutputReader {
  /** The session's latest output as text (escape sequences and all). */
  recentOutput(id: string, maxBytes: number): Promise<string>;
}

/** Ports the processes under `pid` listen on (Linux: /proc; macOS: lsof). */
export async function treePorts(pid: number): Promise<OwnedPort[]> {
  if (process.platform === "darwin") return lsofPorts(pid);
  return listeningPorts(processTree(pid));
}

async function lsofPorts(root: number): Promise<OwnedPort[]> {
  const ps = Bun.spawnSync(["ps", "-axo", "pid=,ppid="]);
  const parents = new Map<number, number>();
  for (const line of ps.stdout.toString().split("\n")) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid && ppid !== undefined) parents.set(pid, ppid);
  }
  const pids = processTree(root, parents);
  const out = Bun.spawnSync(["lsof", "-nP", "-a", "-iTCP", "-sTCP:LISTEN", "-Fpcn", "-p", pids.join(",")]);
  const ports = new Map<number, OwnedPort>();
  let pid = 0;
  let command = "";
  for (const line of out.stdout.toString().split("\n")) {
    if (line.startsWith("p")) pid = Number(line.slice(1));
    else if (line.startsWith("c")) command = line.slice(1);
    else if (line.startsWith("n")) {
      const name = line.slice(1);
      const cut = name.lastIndexOf(":");
      const port = Number(name.slice(cut + 1));
      const address = name
        .slice(0, cut)
        .replace(/^\[|\]$/g, "")
        .replace("*", "0.0.0.0");
      if (port && !ports.has(port)) ports.set(port, { port, address, pid, command });
    }
  }
  return [...ports.values()].sort((a, b) => a.port - b.port);
}

/** The session's listening ports merged with the local URLs its output printed (latest URL per port). */
export async function sessionPorts(session: DiscoverySession, reader: OutputReader): Promise<PortEntry[]> {
  const owned = session.pid ? await treePorts(session.pid) : [];
  const text = await reader.recentOutput(session.id, SCRAPE_BYTES).catch(() => "");
  const urls = new Map<number, string>();
  for (const u of scrapeUrls(text, [hostname().toLowerCase()]))
    if (u.local && !urls.has(u.port)) urls.set(u.port, u.url);
  const entries: PortEntry[] = owned.map((o) => ({
    port: o.port,
    pid: o.pid,
    command: o.command,
    url: urls.get(o.port) ?? null,
    source: urls.has(o.port) ? "both" : "process",
  }));
  for (const [port, url] of urls) {
    if (!owned.some((o) => o.port === port)) entries.push({ port, pid: null, command: null, url, source: "output" });
  }
  return entries.sort((a, b) => a.port - b.port);
}
