import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { invalidField } from "../errors";
import type { HookBus } from "../hooks/bus";
import { log } from "../log";
import type { SessionService } from "../sessions";
import { type AssignPolicy, pickAccount, sharedProjectsDir, usable } from "./launch";
import type { LimitHit } from "./limits";
import type { AccountView, CreateAccountInput, UpdateAccountInput } from "./model";
import type { AccountStore } from "./store";

export interface AccountServiceDeps {
  store: AccountStore;
  sessions: SessionService;
  hooks: HookBus;
  /** OPENDRAY_HOME/claude-accounts: each account's config dir lives below it. */
  accountsDir: string;
  claude: () => { assign: AssignPolicy; failover: boolean };
}

/** A token file's content: the token itself, or `claudeAiOauth.accessToken` of a credentials JSON. */
export function tokenFromFile(content: string): string | null {
  const trimmed = content.trim();
  if (!trimmed) return null;
  if (trimmed.startsWith("{")) {
    try {
      const t = (JSON.parse(trimmed) as { claudeAiOauth?: { accessToken?: unknown } }).claudeAiOauth?.accessToken;
      return typeof t === "string" && t ? t : null;
    } catch {
      return null;
    }
  }
  return /^\S+$/.test(trimmed) ? trimmed : null;
}

export class AccountService {
  constructor(private readonly deps: AccountServiceDeps) {}

  private dirOf = (name: string) => join(this.deps.accountsDir, name);

  list() {
    return this.deps.store.list();
  }
  get(id: string) {
    return this.deps.store.get(id);
  }

  create(input: CreateAccountInput): Promise<AccountView> {
    return this.deps.store.insert({
      name: input.name,
      displayName: input.displayName,
      kind: "token",
      enabled: input.enabled,
      token: input.token ?? null,
      configDir: this.dirOf,
    });
  }

  update(id: string, input: UpdateAccountInput) {
    return this.deps.store.update(id, input);
  }

  async toggle(id: string) {
    const a = await this.deps.store.get(id);
    return this.deps.store.update(id, { enabled: !a.enabled });
  }

  async setToken(id: string, token: string) {
    await this.deps.store.setToken(id, token);
    return { tokenFilled: true as const };
  }

  async remove(id: string) {
    const dir = await this.deps.store.remove(id);
    // only a directory OpenDray made for the account; projects/ is a link to the shared store
    if (dir.startsWith(`${this.deps.accountsDir}/`)) rmSync(dir, { recursive: true, force: true });
  }

  /** Imports ~/.claude-accounts/tokens/<name>.token files (the original's layout) as token accounts. */
  async importLocal(): Promise<{ imported: number; skipped: number; hint?: string }> {
    const dir = join(process.env.HOME ?? homedir(), ".claude-accounts", "tokens");
    if (!existsSync(dir))
      return { imported: 0, skipped: 0, hint: `no token files in ${dir}: run claude setup-token and save it there` };
    let imported = 0;
    let skipped = 0;
    for (const file of readdirSync(dir)) {
      const name = file.replace(/\.token$/, "");
      const token = file.endsWith(".token") ? tokenFromFile(readFileSync(join(dir, file), "utf8")) : null;
      if (!token || !/^[a-z0-9_-]{1,32}$/.test(name) || (await this.deps.store.findByName(name))) {
        skipped++;
        continue;
      }
      await this.deps.store.insert({ name, kind: "token", enabled: true, token, configDir: this.dirOf });
      imported++;
    }
    return { imported, skipped };
  }

  /** Stops the session, binds it to the account and starts it again on its conversation. */
  async switchAccount(sessionId: string, accountId: string): Promise<{ status: "switched"; resumed: boolean }> {
    const session = await this.deps.sessions.get(sessionId);
    if (session.sessionType !== "claude") throw invalidField("sessionId", "only a Claude session has an account");
    const target = await this.deps.store.get(accountId);
    if (!target.enabled) throw invalidField("accountId", `the Claude account "${target.name}" is disabled`);
    if (!target.tokenFilled) throw invalidField("accountId", `the Claude account "${target.name}" has no token`);
    const wasRunning = session.status !== "exited" && session.status !== "created";
    if (wasRunning) await this.deps.sessions.stop(sessionId);
    await this.deps.sessions.bindClaudeAccount(sessionId, accountId);
    const resumed = !!session.resumeId && (await this.transcriptSaved(session.resumeId));
    if (wasRunning || session.status === "exited") await this.deps.sessions.start(sessionId);
    return { status: "switched", resumed };
  }

  private async transcriptSaved(resumeId: string) {
    const base = sharedProjectsDir(process.env.HOME ?? homedir());
    if (!existsSync(base)) return false;
    for await (const _ of new Bun.Glob(`*/${resumeId}.jsonl`).scan({ cwd: base, onlyFiles: true })) return true;
    return false;
  }

  /** A usage limit seen on a session's screen: marks the account and, with failover on, moves the session. */
  async limitHit(sessionId: string, accountId: string, { until, message, zone }: LimitHit) {
    const before = await this.deps.store.get(accountId);
    if (before.limitedUntil) return;
    await this.deps.store.limited(accountId, until);
    log.info("Claude account hit a usage limit", { account: before.name, until: until.toISOString() });
    const { failover, assign } = this.deps.claude();
    const next = pickAccount(await this.deps.store.list(), assign === "sticky" ? "least_recent" : assign, accountId);
    if (!failover || !next || !usable(next)) {
      this.deps.hooks.emit("onAccountLimit", sessionId, {
        from: before.name,
        to: null,
        resetsAt: until.toISOString(),
        zone,
        message,
        suggested: next?.name ?? null,
      });
      return;
    }
    try {
      const r = await this.switchAccount(sessionId, next.id);
      this.deps.hooks.emit("onAccountLimit", sessionId, {
        from: before.name,
        to: next.name,
        resetsAt: until.toISOString(),
        zone,
        message,
        suggested: null,
        resumed: r.resumed,
      });
    } catch (e) {
      log.warn("failover failed", { session: sessionId, error: e });
    }
  }
}
