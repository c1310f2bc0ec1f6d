import { randomUUID } from "node:crypto";
import { homedir } from "node:os";
import { join } from "node:path";
import { AppError } from "../errors";
import type { LaunchPlan, ResolveLaunch } from "../plugins/launch";
import { prepareConfigDir } from "./config-dir";
import type { AccountView } from "./model";
import type { AccountStore } from "./store";

export type AssignPolicy = "least_recent" | "ordered" | "sticky";

const invalid = (message: string) =>
  new AppError("invalid", `claudeAccountId: ${message}`, [{ path: "claudeAccountId", message }]);

/** Variables that would win over an account's credentials (an API key beats the OAuth token). */
const COMPETING = ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN", "CLAUDE_CONFIG_DIR"];

export const usable = (a: AccountView) => a.enabled && a.tokenFilled && a.limitedUntil === null;

/** The account a new Claude session gets when none was named, by `claude.assign`. */
export function pickAccount(accounts: AccountView[], policy: AssignPolicy, except?: string): AccountView | null {
  const open = accounts.filter((a) => usable(a) && a.id !== except);
  if (!open.length) return null;
  const used = (a: AccountView) => (a.lastUsedAt ? Date.parse(a.lastUsedAt) : 0);
  if (policy === "ordered") return open[0] ?? null;
  if (policy === "sticky") return [...open].sort((a, b) => used(b) - used(a))[0] ?? null;
  return [...open].sort((a, b) => used(a) - used(b))[0] ?? null;
}

/** The host's one transcript store that every account's projects/ points at. */
export const sharedProjectsDir = (home: string) => join(home, ".claude", "projects");

/**
 * Wraps the launch resolver: a Claude session bound to an account (or given one by the policy) starts
 * with that account's CLAUDE_CONFIG_DIR and, for a token account, CLAUDE_CODE_OAUTH_TOKEN, and without
 * any API key that would take precedence.
 */
export function withClaudeAccounts(
  inner: ResolveLaunch,
  deps: {
    store: AccountStore;
    policy: () => AssignPolicy;
    onLaunch?: (sessionId: string, accountId: string) => void;
    /**
     * A recap waiting for this start: the conversation starts afresh (AccountService types the recap
     * in once the CLI is up, so it is never in argv).
     */
    recap?: (sessionId: string) => string | undefined;
  },
): ResolveLaunch {
  return async (req) => {
    if (req.sessionType !== "claude") {
      if (req.claudeAccountId) throw invalid("an account only applies to Claude sessions");
      return inner(req);
    }
    // A session routed to a model endpoint talks to the gateway, which holds the upstream's key.
    if (req.llm) {
      if (req.claudeAccountId) throw invalid("a session routed to a model endpoint does not use a Claude account");
      return inner(req);
    }
    let accountId = req.claudeAccountId ?? null;
    if (!accountId && req.firstStart) {
      const picked = pickAccount(await deps.store.list(), deps.policy());
      if (picked) {
        accountId = picked.id;
        await deps.store.bind(req.sessionId, accountId);
      }
    }
    if (!accountId) return inner(req);
    const secret = await deps.store.secret(accountId);
    if (!secret) throw invalid(`no Claude account has the id ${accountId}`);
    const { account } = secret;
    if (!account.enabled)
      throw invalid(`the Claude account "${account.name}" is disabled: enable it in Settings → Claude accounts`);
    if (account.kind === "token" && !secret.token)
      throw invalid(`the Claude account "${account.name}" has no token: paste one from claude setup-token`);
    const home = req.envOverrides.HOME ?? process.env.HOME ?? homedir();
    prepareConfigDir(secret.configDir, {
      sharedProjects: sharedProjectsDir(home),
      trustCwd: req.firstStart ? undefined : req.cwd,
    });
    const accountEnv: Record<string, string> = { CLAUDE_CONFIG_DIR: secret.configDir };
    if (account.kind === "token" && secret.token) accountEnv.CLAUDE_CODE_OAUTH_TOKEN = secret.token;
    const plan = await inner({ ...req, envOverrides: { ...req.envOverrides, ...accountEnv } });
    for (const name of COMPETING) if (!(name in accountEnv)) delete plan.env[name];
    const unsetEnv = [...(plan.unsetEnv ?? []), ...COMPETING.filter((n) => !(n in accountEnv))];
    await deps.store.used(accountId);
    deps.onLaunch?.(req.sessionId, accountId);
    const recap = req.firstStart ? undefined : deps.recap?.(req.sessionId);
    return recap ? { ...freshConversation(plan), unsetEnv } : { ...plan, env: plan.env, unsetEnv };
  };
}

/** A fresh conversation: its own new id instead of `--resume` (the recap is typed in, not passed here). */
export function freshConversation(plan: LaunchPlan): LaunchPlan {
  const argv = [...plan.argv];
  let resumeId = plan.resumeId;
  const at = argv.findIndex((a) => a === "--resume" || a === "-r");
  if (at > 0) {
    resumeId = randomUUID();
    argv.splice(at, 2, "--session-id", resumeId);
  }
  return { ...plan, argv, resumeId };
}
