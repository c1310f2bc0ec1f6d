import { existsSync } from "node:fs";
import { AppError } from "../errors";

export interface LaunchRequest {
  sessionId: string;
  sessionType: string;
  cwd: string;
  model: string | null;
  extraArgs: string[] | string;
  envOverrides: Record<string, string>;
  resumeId: string | null;
  firstStart: boolean;
}

export interface LaunchPlan {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  resumeId: string | null;
}

export type LaunchResolver = (req: LaunchRequest) => Promise<LaunchPlan>;

export function loginShell(): string {
  const candidates = [process.env.SHELL, "/bin/zsh", "/usr/bin/zsh", "/bin/bash", "/usr/bin/bash", "/bin/sh"];
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? "/bin/sh";
}

/** The built-in resolver: only the `terminal` agent (the user's login shell). */
export const terminalResolver: LaunchResolver = async (req) => {
  if (req.sessionType !== "terminal") {
    throw new AppError("invalid", `sessionType: unknown agent "${req.sessionType}"`, [
      { path: "sessionType", message: `unknown agent "${req.sessionType}"` },
    ]);
  }
  const extra = Array.isArray(req.extraArgs) ? req.extraArgs : req.extraArgs.split(/\s+/).filter(Boolean);
  return { argv: [loginShell(), "-l", ...extra], env: { ...req.envOverrides }, cwd: req.cwd, resumeId: null };
};
