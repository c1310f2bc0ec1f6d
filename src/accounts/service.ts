import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { conflict, invalidField } from "../errors";
import type { HookBus } from "../hooks/bus";
import { log } from "../log";
import type { LiveScreens } from "../screen/sessions";
import type { SessionService } from "../sessions";
import { stripAnsi } from "../sessions/stream";
import { type AssignPolicy, pickAccount, sharedProjectsDir, usable } from "./launch";
import type { LimitHit } from "./limits";
import type { AccountView, CreateAccountInput, UpdateAccountInput } from "./model";
import type { AccountStore } from "./store";
import { asPaste, outputQuiet, untilOutput } from "./type-in";

export interface AccountServiceDeps {
  store: AccountStore;
  sessions: SessionService;
  hooks: HookBus;
  /** OPENDRAY_HOME/claude-accounts: each account's config dir lives below it. */
  accountsDir: string;
  claude: () => { assign: AssignPolicy; failover: boolean };
  /** Recaps waiting for a session's next start (withClaudeAccounts then starts a fresh conversation). */
  recaps: Map<string, string>;
  screens?: LiveScreens;
}

/** How long a switch watches a resumed Claude for refusing the conversation. */
const RESUME_CHECK_MS = 8000;
const RECAP_MAX_CHARS = 8000;
const RECAP_TURNS =
  "This conversation continues one begun under another Claude account, which could not be resumed here. The earlier turns:";
const RECAP_SCREEN =
  "This conversation continues one begun under another Claude account, which could not be resumed here. What its terminal showed:";
const RECAP_END = "Carry on from there. Wait for my next message before doing anything.";
/** How long a fresh conversation may take to show its prompt before the recap is typed in. */
const RECAP_READY_MS = 30_000;
/** Claude Code's idle input line: the TUI takes typing from here on. */
const CLAUDE_READY = /for shortcuts/;
/** Claude Code at work: its window title carries a spinner (a braille glyph). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the title is an OSC escape
const CLAUDE_BUSY = /\x1b\]0;[\u2801-\u28ff]/;
/** Claude Code took a paste in: a long one shows as a placeholder, a short one as its text. */
const PASTED = /Pasted text|before doing anything/;

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

/** A session's choice to wait out its account's limit (the card stays away until that limit ends). */
export interface LimitWait {
  accountId: string | null;
  until: string | null;
}

export class AccountService {
  constructor(private readonly deps: AccountServiceDeps) {}

  /**
   * Sessions whose user chose to wait: the account and the limit (its reset time) they wait out. Kept
   * in claude_limit_waits as well, for a restart; while the database is down, memory carries on.
   */
  private waits = new Map<string, { accountId: string; until: string }>();
  private waitsRead: Promise<void> | undefined;

  /** Reads the kept waits back once (again on the next look if the database could not be reached). */
  private readWaits(): Promise<void> {
    this.waitsRead ??= this.deps.store.waits().then(
      (kept) => {
        for (const [id, w] of kept) if (!this.waits.has(id)) this.waits.set(id, w);
      },
      (error) => {
        this.waitsRead = undefined;
        log.warn("the kept limit waits could not be read", { error });
      },
    );
    return this.waitsRead;
  }

  /** Ends these sessions' waits, in memory and in the database. */
  private async forgetWaits(sessionIds: string[]) {
    await this.readWaits();
    const ids = sessionIds.filter((id) => this.waits.delete(id));
    await this.deps.store.clearWaits(ids).catch((error) => log.warn("a limit wait was not forgotten", { error }));
  }

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
    // the database drops the account's waits with it
    for (const [sessionId, w] of this.waits) if (w.accountId === id) this.waits.delete(sessionId);
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

  /**
   * "Wait" on the limit card: the session stays on its account until the limit resets; every device
   * leaves the card away for that limit (a next limit shows it again).
   */
  async waitOutLimit(sessionId: string): Promise<LimitWait> {
    const session = await this.deps.sessions.get(sessionId);
    if (!session.claudeAccountId) throw conflict("the session has no Claude account");
    const account = await this.deps.store.get(session.claudeAccountId);
    if (!account.limitedUntil) throw conflict(`the Claude account "${account.name}" is not at a usage limit`);
    const wait = { accountId: account.id, until: account.limitedUntil };
    await this.readWaits();
    this.waits.set(sessionId, wait);
    await this.deps.store
      .setWait(sessionId, wait.accountId, wait.until)
      .catch((error) => log.warn("a limit wait is kept in memory only", { session: sessionId, error }));
    return wait;
  }

  /** The limit the session waits out, while it lasts and the session is still on that account. */
  async limitWait(sessionId: string): Promise<LimitWait> {
    const session = await this.deps.sessions.get(sessionId);
    await this.readWaits();
    const wait = this.waits.get(sessionId);
    if (!wait) return { accountId: null, until: null };
    if (session.claudeAccountId === wait.accountId) {
      const account = await this.deps.store.get(wait.accountId).catch(() => null);
      if (account?.limitedUntil === wait.until) return wait;
    }
    await this.forgetWaits([sessionId]);
    return { accountId: null, until: null };
  }

  /**
   * Stops the session, binds it to the account and starts it again on its conversation. When the
   * conversation cannot be resumed (its transcript is gone, or the CLI refuses it), the new
   * conversation starts with a recap of the earlier turns as its first prompt: `resumed: false`.
   */
  async switchAccount(sessionId: string, accountId: string): Promise<{ status: "switched"; resumed: boolean }> {
    const session = await this.deps.sessions.get(sessionId);
    if (session.sessionType !== "claude") throw invalidField("sessionId", "only a Claude session has an account");
    const target = await this.deps.store.get(accountId);
    if (!target.enabled) throw invalidField("accountId", `the Claude account "${target.name}" is disabled`);
    if (!target.tokenFilled) throw invalidField("accountId", `the Claude account "${target.name}" has no token`);
    const wasRunning = session.status !== "exited" && session.status !== "created";
    // read before the stop: the screen goes with the session
    const recap = await this.recapOf(sessionId, session.resumeId);
    if (wasRunning) await this.deps.sessions.stop(sessionId);
    await this.deps.sessions.bindClaudeAccount(sessionId, accountId);
    await this.forgetWaits([sessionId]);
    // a transcript without a turn (Claude writes a few lines of its own on exit) resumes nothing
    let resumed = !!session.resumeId && (await this.transcriptTurns(session.resumeId)) !== null;
    if (!wasRunning && session.status !== "exited") return { status: "switched", resumed };
    if (!resumed && recap) this.deps.recaps.set(sessionId, recap);
    try {
      if (!resumed && recap) await this.startWithRecap(sessionId, recap);
      else await this.deps.sessions.start(sessionId);
      if (resumed && recap && (await this.refused(sessionId))) {
        log.warn("Claude refused the resumed conversation under the new account; starting over with a recap", {
          session: sessionId,
        });
        resumed = false;
        await this.deps.sessions.stop(sessionId).catch(() => {});
        this.deps.recaps.set(sessionId, recap);
        await this.startWithRecap(sessionId, recap);
      }
    } finally {
      this.deps.recaps.delete(sessionId);
    }
    return { status: "switched", resumed };
  }

  /**
   * Starts the session on a fresh conversation and types the recap in as its first message once the
   * TUI is up: typed through the PTY, a recap (and any secret pasted in the earlier turns) is in no
   * process's argv or environment and in no file.
   */
  private async startWithRecap(sessionId: string, recap: string) {
    const { sessions } = this.deps;
    // the user's input waits until the recap is in: typed meanwhile, it would land inside the recap
    const hold = sessions.holdInput(sessionId);
    try {
      await sessions.start(sessionId);
      await this.typeRecap(sessionId, recap, hold.write);
    } finally {
      // delivered after the recap's Enter; the switch does not wait for it
      void hold.release();
    }
  }

  private async typeRecap(sessionId: string, recap: string, write: (data: string) => Promise<void>) {
    const { hooks } = this.deps;
    // from here on all output is the new process's (a stopped one can still hand over its last bytes)
    if (!(await untilOutput(hooks, sessionId, CLAUDE_READY, RECAP_READY_MS).matched)) {
      log.warn("Claude did not show its prompt; the recap was not typed in", { session: sessionId });
      return;
    }
    const echoed = untilOutput(hooks, sessionId, PASTED, 5000);
    await write(asPaste(recap));
    await echoed.matched;
    // Claude Code drops an Enter that follows a paste too closely: again until it is at work (an
    // Enter on an empty prompt does nothing)
    await outputQuiet(hooks, sessionId, 300, 3000);
    for (let tries = 0; tries < 3; tries++) {
      const busy = untilOutput(hooks, sessionId, CLAUDE_BUSY, 2500);
      await write("\r");
      if (await busy.matched) return log.debug("recap typed in", { session: sessionId });
    }
    log.warn("Claude did not take the recap in", { session: sessionId });
  }

  /** Whether the CLI, started with --resume, gave up on the conversation (it exits saying so). */
  private async refused(sessionId: string): Promise<boolean> {
    const deadline = Date.now() + RESUME_CHECK_MS;
    while (Date.now() < deadline) {
      const s = await this.deps.sessions.get(sessionId).catch(() => null);
      if (!s || s.status === "exited") return true;
      const screen = this.deps.screens?.find(sessionId);
      const text = screen ? (await screen.snapshot()).lines.join("\n") : "";
      if (/No conversation found/i.test(text)) return true;
      if (/for shortcuts|trust this folder/i.test(text)) return false;
      await Bun.sleep(200);
    }
    return false;
  }

  /**
   * The earlier turns of a session, for a conversation that cannot be resumed: from Claude's transcript
   * when it is there, else from what the session's screen and scrollback still show.
   */
  private async recapOf(sessionId: string, resumeId: string | null): Promise<string | null> {
    const turns = resumeId ? await this.transcriptTurns(resumeId) : null;
    let body = turns;
    if (!body) {
      const screen = this.deps.screens?.find(sessionId);
      if (screen) {
        const { data } = await screen.serialize({ scrollbackLines: 400, settled: true });
        // the serializer writes runs of blanks as cursor-forward moves
        // biome-ignore lint/suspicious/noControlCharactersInRegex: reading terminal escapes is the point
        body = stripAnsi(data.replace(/\x1b\[(\d*)C/g, (_m, n: string) => " ".repeat(Number(n || 1))))
          .split(/\r?\n/)
          .map((l) => l.trimEnd())
          .filter((l, i, all) => l || all[i - 1])
          .join("\n")
          .trim();
      }
    }
    if (!body) return null;
    if (body.length > RECAP_MAX_CHARS) body = `…${body.slice(-RECAP_MAX_CHARS)}`;
    return `${turns ? RECAP_TURNS : RECAP_SCREEN}\n\n${body}\n\n${RECAP_END}`;
  }

  private async transcriptTurns(resumeId: string): Promise<string | null> {
    const file = await this.transcriptFile(resumeId);
    if (!file) return null;
    const out: string[] = [];
    for (const line of (await Bun.file(file).text()).split("\n")) {
      let entry: { type?: string; isMeta?: boolean; message?: { content?: unknown } };
      try {
        entry = JSON.parse(line);
      } catch {
        continue;
      }
      if ((entry.type !== "user" && entry.type !== "assistant") || entry.isMeta) continue;
      const content = entry.message?.content;
      const text =
        typeof content === "string"
          ? content
          : Array.isArray(content)
            ? content
                .filter((b): b is { type: "text"; text: string } => b?.type === "text" && typeof b.text === "string")
                .map((b) => b.text)
                .join("\n")
            : "";
      if (text.trim() && !text.startsWith("<"))
        out.push(`${entry.type === "user" ? "User" : "Claude"}: ${text.trim()}`);
    }
    return out.length ? out.join("\n\n") : null;
  }

  private async transcriptFile(resumeId: string): Promise<string | null> {
    const base = sharedProjectsDir(process.env.HOME ?? homedir());
    if (!existsSync(base)) return null;
    for await (const f of new Bun.Glob(`*/${resumeId}.jsonl`).scan({ cwd: base, onlyFiles: true, absolute: true }))
      return f;
    return null;
  }

  /** A usage limit seen on a session's screen: marks the account and, with failover on, moves the session. */
  async limitHit(sessionId: string, accountId: string, { until, message, zone }: LimitHit) {
    const before = await this.deps.store.get(accountId);
    if (before.limitedUntil) return;
    await this.deps.store.limited(accountId, until);
    // a next limit: the card comes back on every session of the account
    await this.readWaits();
    await this.forgetWaits([...this.waits].filter(([, w]) => w.accountId === accountId).map(([id]) => id));
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
