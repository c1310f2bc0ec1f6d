import { readdirSync, readFileSync, readlinkSync } from "node:fs";

/** A TCP socket in LISTEN state, by its inode. */
export interface ListenSocket {
  port: number;
  /** The bound address as text: 127.0.0.1, 0.0.0.0, ::1, :: … */
  address: string;
  inode: number;
}

/** A port some process listens on. */
export interface OwnedPort {
  port: number;
  address: string;
  pid: number;
  command: string;
}

const LISTEN = "0A";

function ipv4(hex: string): string {
  // /proc/net/tcp prints the address as one host-order (little-endian) 32-bit word.
  const n = Number.parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, n >>> 24].join(".");
}

function ipv6(hex: string): string {
  const groups: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    const bytes = [6, 4, 2, 0].map((i) => word.slice(i, i + 2)).join("");
    groups.push(bytes.slice(0, 4), bytes.slice(4, 8));
  }
  const text = groups.map((g) => Number.parseInt(g, 16).toString(16)).join(":");
  if (text === "0:0:0:0:0:0:0:0") return "::";
  if (text === "0:0:0:0:0:0:0:1") return "::1";
  const mapped = /^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(text);
  if (mapped) {
    const hi = Number.parseInt(mapped[1] ?? "0", 16);
    const lo = Number.parseInt(mapped[2] ?? "0", 16);
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
  }
  return text;
}

/** Parses /proc/net/tcp or tcp6 text into its listening sockets. */
export function parseNetTcp(text: string, v6: boolean): ListenSocket[] {
  const out: ListenSocket[] = [];
  for (const line of text.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || f[3] !== LISTEN) continue;
    const [addr = "", port = ""] = (f[1] ?? "").split(":");
    const inode = Number(f[9]);
    if (!inode) continue;
    out.push({ port: Number.parseInt(port, 16), address: v6 ? ipv6(addr) : ipv4(addr), inode });
  }
  return out;
}

/** Every listening TCP socket on the host, by inode. */
export function listenSockets(proc = "/proc"): Map<number, ListenSocket> {
  const map = new Map<number, ListenSocket>();
  for (const [file, v6] of [
    ["net/tcp", false],
    ["net/tcp6", true],
  ] as const) {
    let text = "";
    try {
      text = readFileSync(`${proc}/${file}`, "utf8");
    } catch {
      continue;
    }
    for (const s of parseNetTcp(text, v6)) map.set(s.inode, s);
  }
  return map;
}

/** pid → parent pid for every process visible in /proc. */
export function parentMap(proc = "/proc"): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync(proc)) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`${proc}/${name}/stat`, "utf8");
      // The command name may hold spaces and parentheses: the fields start after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(name), ppid);
    } catch {}
  }
  return parents;
}

/** `root` and all its descendants. */
export function processTree(root: number, parents = parentMap()): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const tree: number[] = [];
  const queue = [root];
  const seen = new Set<number>();
  while (queue.length) {
    const pid = queue.shift() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Inodes of the sockets a process holds open. */
export function socketInodes(pid: number, proc = "/proc"): number[] {
  const inodes: number[] = [];
  let fds: string[];
  try {
    fds = readdirSync(`${proc}/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`${proc}/${pid}/fd/${fd}`));
      if (m) inodes.push(Number(m[1]));
    } catch {}
  }
  return inodes;
}

export function commandLine(pid: number, proc = "/proc"): string {
  try {
    return readFileSync(`${proc}/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ").slice(0, 300);
  } catch {
    return "";
  }
}

/** The TCP ports the given processes listen on (one entry per port, the first owner wins). */
export function listeningPorts(pids: number[], proc = "/proc"): OwnedPort[] {
  const sockets = listenSockets(proc);
  const byPort = new Map<number, OwnedPort>();
  for (const pid of pids) {
    for (const inode of socketInodes(pid, proc)) {
      const s = sockets.get(inode);
      if (!s || byPort.has(s.port)) continue;
      byPort.set(s.port, { port: s.port, address: s.address, pid, command: commandLine(pid, proc) });
    }
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}
