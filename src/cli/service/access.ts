import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ServiceUser } from "./render";

function ids(name: string) {
  const id = (flag: string) => Number(Bun.spawnSync(["id", flag, name], { stderr: "ignore" }).stdout.toString().trim());
  return { uid: id("-u"), gid: id("-g") };
}

/** Whether `user` can reach and run `path`, by mode bits alone (supplementary groups and ACLs are not read). */
export function canExecute(path: string, user: string): boolean {
  const { uid, gid } = ids(user);
  const allows = (p: string) => {
    const st = statSync(p);
    const bits = st.uid === uid ? 0o100 : st.gid === gid ? 0o010 : 0o001;
    return (st.mode & bits) !== 0;
  };
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (!allows(dir)) return false;
    if (dir === "/") break;
  }
  return allows(path);
}

/** Problems worth a word before installing: the service would start but not work as expected. */
export function installWarnings(user: ServiceUser, binary: string): string[] {
  const warnings: string[] = [];
  if (existsSync(binary) && !canExecute(binary, user.name)) {
    warnings.push(
      `${user.name} cannot run ${binary}; install the binary somewhere it can, e.g. OPENDRAY_INSTALL_DIR=/usr/local/bin`,
    );
  }
  if (!existsSync(join(user.home, ".opendray", "config.toml"))) {
    warnings.push(
      `${user.name} has not run "opendray setup" yet (no ${join(user.home, ".opendray", "config.toml")}); the server will print a one-time login link in the log`,
    );
  }
  return warnings;
}
