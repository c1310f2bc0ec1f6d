import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { dirname } from "node:path";
import { log } from "../log";

export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

const SERVICE_USER = "opendray-pg";

function lookup(name: string): RunAs | null {
  const r = spawnSync("id", [name], { encoding: "utf8" });
  if (r.status !== 0) return null;
  const uid = /uid=(\d+)/.exec(r.stdout)?.[1];
  const gid = /gid=(\d+)/.exec(r.stdout)?.[1];
  return uid && gid ? { name, uid: Number(uid), gid: Number(gid) } : null;
}

/** Postgres refuses uid 0: as root, it runs as a dedicated unprivileged system user, created on demand. */
export function postgresRunAs(): RunAs | null {
  if (process.getuid?.() !== 0) return null;
  const existing = lookup(SERVICE_USER);
  if (existing) return existing;
  const attempts: [string, string[]][] = [
    [
      "useradd",
      ["--system", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", SERVICE_USER],
    ],
    ["adduser", ["-S", "-D", "-H", "-h", "/nonexistent", "-s", "/sbin/nologin", SERVICE_USER]],
  ];
  for (const [cmd, args] of attempts) {
    if (spawnSync(cmd, args, { encoding: "utf8" }).status === 0) {
      log.info("created system user for the bundled Postgres", { user: SERVICE_USER });
      const created = lookup(SERVICE_USER);
      if (created) return created;
    }
  }
  const nobody = lookup("nobody");
  if (nobody) {
    log.warn("could not create a system user; running the bundled Postgres as nobody");
    return nobody;
  }
  throw new Error("running as root, and no unprivileged user could be found or created for Postgres");
}

/** Whether `user` can reach `path` through every directory above it. */
export function canTraverse(path: string, user: RunAs): boolean {
  let dir = path;
  for (;;) {
    try {
      const st = statSync(dir);
      const ok = st.uid === user.uid ? st.mode & 0o100 : st.gid === user.gid ? st.mode & 0o010 : st.mode & 0o001;
      if (!ok) return false;
    } catch {
      return false;
    }
    const parent = dirname(dir);
    if (parent === dir) return true;
    dir = parent;
  }
}
