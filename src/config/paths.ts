import { homedir } from "node:os";
import { join, resolve } from "node:path";

export function opendrayHome(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.OPENDRAY_HOME || join(env.HOME || homedir(), ".opendray"));
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.OPENDRAY_CONFIG || join(opendrayHome(env), "config.toml"));
}

export const homePaths = (home: string) => ({
  home,
  pg: join(home, "pg"),
  pgData: join(home, "pg", "data"),
  run: join(home, "run"),
  ptydSocket: join(home, "run", "ptyd.sock"),
  logs: join(home, "logs"),
  plugins: join(home, "plugins"),
});
