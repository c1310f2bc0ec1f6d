import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AppError, notFound } from "../errors";
import { log } from "../log";
import { whichCommand } from "../plugins/detect";
import type { AccountView } from "./model";
import type { AccountStore } from "./store";

const MAX_FLOWS = 5;
const FLOW_LIFE_MS = 10 * 60_000;
const URL_WAIT_MS = 15_000;
const CREDENTIALS_WAIT_MS = 60_000;
const AUTHORIZE_URL = /https:\/\/claude\.(?:com|ai)\/cai\/oauth\/authorize\S+/;

interface Flow {
  id: string;
  dir: string;
  proc: Bun.Subprocess;
  output: string;
  exited: boolean;
  timer: ReturnType<typeof setTimeout>;
  name?: string;
}

const plain = (s: string) =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escapes are what is stripped
  s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\r/g, "");

/**
 * The in-app sign-in: Claude Code's own `claude auth login --claudeai` in a PTY with a config dir of
 * its own; the phone opens the URL it prints and sends back the code the sign-in page shows.
 */
export class OAuthFlows {
  private readonly flows = new Map<string, Flow>();

  constructor(
    private readonly deps: {
      store: AccountStore;
      accountsDir: string;
      baseEnv: Record<string, string>;
    },
  ) {}

  private claude() {
    const path = whichCommand("claude", this.deps.baseEnv.PATH ?? process.env.PATH);
    if (!path) throw new AppError("unavailable", "Claude Code is not installed: npm i -g @anthropic-ai/claude-code");
    return path;
  }

  private env(dir: string): Record<string, string> {
    const env = { ...this.deps.baseEnv };
    for (const n of ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN"]) delete env[n];
    return { ...env, CLAUDE_CONFIG_DIR: dir, NO_COLOR: "1", TERM: "dumb" };
  }

  async start(name?: string): Promise<{ flowId: string; authorizationUrl: string; expiresInSec: number }> {
    if (this.flows.size >= MAX_FLOWS)
      throw new AppError("rate_limited", `at most ${MAX_FLOWS} sign-ins at a time: finish or cancel one`);
    const path = this.claude();
    const base = join(this.deps.accountsDir, ".sign-in");
    mkdirSync(base, { recursive: true, mode: 0o700 });
    const dir = mkdtempSync(join(base, "flow-"));
    const id = randomUUID();
    const flow: Flow = {
      id,
      dir,
      output: "",
      exited: false,
      name,
      timer: setTimeout(() => this.end(id), FLOW_LIFE_MS),
      proc: Bun.spawn([path, "auth", "login", "--claudeai"], {
        cwd: dir,
        env: this.env(dir),
        // wide enough that the URL is never wrapped
        terminal: { cols: 2000, rows: 50, data: (_t, bytes) => (flow.output += new TextDecoder().decode(bytes)) },
      }),
    };
    void flow.proc.exited.then(() => (flow.exited = true));
    this.flows.set(id, flow);
    const deadline = Date.now() + URL_WAIT_MS;
    while (Date.now() < deadline && !flow.exited) {
      const url = AUTHORIZE_URL.exec(plain(flow.output))?.[0];
      if (url) return { flowId: id, authorizationUrl: url, expiresInSec: FLOW_LIFE_MS / 1000 };
      await Bun.sleep(100);
    }
    const said = plain(flow.output).trim().split("\n").at(-1) ?? "";
    this.end(id);
    throw new AppError("bad_gateway", `claude auth login showed no sign-in URL${said ? `: ${said}` : ""}`);
  }

  async complete(
    flowId: string,
    code: string,
    name?: string,
  ): Promise<{ accountId: string; name: string; account: AccountView }> {
    const flow = this.flows.get(flowId);
    if (!flow) throw notFound("sign-in flow");
    const before = flow.output.length;
    flow.proc.terminal?.write(`${code}\r`);
    const credentials = join(flow.dir, ".credentials.json");
    const deadline = Date.now() + CREDENTIALS_WAIT_MS;
    for (;;) {
      if (existsSync(credentials)) break;
      const after = plain(flow.output.slice(before));
      const failed = /(?:Login failed|error|invalid)[^\n]*/i.exec(after)?.[0];
      if (failed || flow.exited) {
        this.end(flowId);
        throw new AppError("bad_request", `sign-in failed: ${(failed ?? "claude auth login ended").trim()}`, [
          { path: "code", message: failed?.trim() ?? "the code was not accepted" },
        ]);
      }
      if (Date.now() > deadline) {
        this.end(flowId);
        throw new AppError("unavailable", "sign-in did not finish within 60 s");
      }
      await Bun.sleep(250);
    }
    await Promise.race([flow.proc.exited, Bun.sleep(5000)]);
    const profile = await this.status(flow.dir);
    const accountName = name ?? flow.name ?? nameFromEmail(profile.email) ?? `account-${flowId.slice(0, 8)}`;
    const target = join(this.deps.accountsDir, accountName);
    if (existsSync(target)) {
      this.end(flowId);
      throw new AppError("conflict", `a Claude account named "${accountName}" already exists`);
    }
    clearTimeout(flow.timer);
    this.flows.delete(flowId);
    renameSync(flow.dir, target);
    const account = await this.deps.store.insert({
      name: accountName,
      kind: "login",
      enabled: true,
      configDir: () => target,
      email: profile.email,
      plan: profile.plan,
    });
    return { accountId: account.id, name: account.name, account };
  }

  private async status(dir: string): Promise<{ email: string | null; plan: string | null }> {
    try {
      const proc = Bun.spawn([this.claude(), "auth", "status", "--json"], {
        env: this.env(dir),
        stdout: "pipe",
        stderr: "ignore",
        stdin: "ignore",
      });
      const out = JSON.parse(await new Response(proc.stdout).text()) as Record<string, unknown>;
      const email = typeof out.email === "string" ? out.email : null;
      const plan = typeof out.subscriptionType === "string" ? out.subscriptionType : null;
      return { email, plan };
    } catch (e) {
      log.warn("claude auth status failed", { error: e });
      return { email: null, plan: null };
    }
  }

  cancel(flowId: string) {
    if (!this.flows.has(flowId)) throw notFound("sign-in flow");
    this.end(flowId);
    return { status: "cancelled" as const };
  }

  private end(flowId: string) {
    const flow = this.flows.get(flowId);
    if (!flow) return;
    this.flows.delete(flowId);
    clearTimeout(flow.timer);
    try {
      flow.proc.kill("SIGKILL");
    } catch {}
    rmSync(flow.dir, { recursive: true, force: true });
  }

  stop() {
    for (const id of [...this.flows.keys()]) this.end(id);
  }
}

function nameFromEmail(email: string | null): string | null {
  const local = email
    ?.split("@")[0]
    ?.toLowerCase()
    .replace(/[^a-z0-9_-]/g, "-")
    .slice(0, 32);
  return local || null;
}
