import { userInfo } from "node:os";

import type { ServiceUser } from "./render";

const run = (cmd: string[]) => {
  const r = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "ignore" });
  return r.exitCode === 0 ? r.stdout.toString().trim() : undefined;
};

/** Looks up an account on this machine: its primary group and home directory. */
export function lookupUser(name: string): ServiceUser | undefined {
  if (process.platform === "darwin") {
    const home = run(["dscl", ".", "-read", `/Users/${name}`, "NFSHomeDirectory"])?.replace(
      /^NFSHomeDirectory:\s*/,
      "",
    );
    return home ? { name, group: "staff", home } : undefined;
  }
  const entry = run(["getent", "passwd", name]);
  const group = run(["id", "-gn", name]);
  const home = entry?.split(":")[5];
  return home && group ? { name, group, home } : undefined;
}

/** The account the service should run as: --user, else the one who ran sudo, else the current one. */
export function defaultUserName(env: NodeJS.ProcessEnv = process.env) {
  return env.SUDO_USER || userInfo().username;
}

export const isRoot = () => process.getuid?.() === 0;
