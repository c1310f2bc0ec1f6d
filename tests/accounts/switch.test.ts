import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { opendray } from "../cli/cli";
import { startServer, type TestServer, waitFor } from "../harness";
import { CLAUDE_KEY, useInstalledClis, writeAgentConfigs } from "../plugins/agent-home";
import { AgentScreen, closeScreens } from "../plugins/screen";
import { BotApiStub } from "../stubs/bot-api";
import { type AnthropicModelStub, startAnthropicModel } from "../stubs/model-anthropic";
import { type PushServiceStub, startPushService } from "../stubs/push-service";
import { CHAT, TOKEN } from "../telegram/support";

const TOKEN_A = "sk-ant-oat01-account-a-0000000000000000000000000000";
const TOKEN_B = "sk-ant-oat01-account-b-1111111111111111111111111111";
let server: TestServer;
let anthropic: AnthropicModelStub;
let telegram: BotApiStub;
const TOKEN_C = "sk-ant-oat01-account-c-2222222222222222222222222222";
let push: PushServiceStub;
/** Requests carrying these tokens get Claude's usage-limit refusal. */
const limited = new Set<string>();
const project = mkdtempSync(join(tmpdir(), "accounts-project-"));
const screens: AgentScreen[] = [];

beforeAll(async () => {
  useInstalledClis();
  anthropic = startAnthropicModel(undefined, ({ bearer }) => {
    if (!bearer || !limited.has(bearer)) return null;
    const reset = Math.floor(Date.now() / 1000) + 3 * 3600;
    return Response.json(
      {
        type: "error",
        error: { type: "rate_limit_error", message: "This request would exceed your account's rate limit." },
      },
      {
        status: 429,
        headers: {
          "anthropic-ratelimit-unified-status": "rejected",
          "anthropic-ratelimit-unified-reset": String(reset),
          "anthropic-ratelimit-unified-representative-claim": "five_hour",
        },
      },
    );
  });
  push = startPushService();
  telegram = new BotApiStub().start();
  telegram.addBot(TOKEN);
  writeAgentConfigs(process.env.HOME as string, { openai: "http://127.0.0.1:9" }, project);
  server = await startServer({
    env: {
      LOG_LEVEL: "debug",
      DISABLE_AUTOUPDATER: "1",
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      CLAUDE_FAILOVER: "true",
      OPENDRAY_TELEGRAM_BOT_TOKEN: TOKEN,
      OPENDRAY_TELEGRAM_API_ROOT: telegram.url,
      OPENDRAY_TELEGRAM_ALLOWED_CHAT_IDS: String(CHAT),
      // the server trusts the local push service's certificate
      NODE_EXTRA_CA_CERTS: push.caFile,
    },
  });
  // the phone's browser subscribed to notifications
  const sub = await server.api("/api/push/subscribe", { method: "POST", json: push.subscription("phone") });
  expect(sub.status).toBe(201);
  // The host's own Claude config carries an API key: an account's session must not get it.
  const r = await server.api("/api/providers/claude/config", {
    method: "PUT",
    json: { values: { authType: "custom", apiKey: CLAUDE_KEY, baseUrl: anthropic.url } },
  });
  expect(r.status).toBe(200);
});

afterAll(async () => {
  for (const s of screens) s.close();
  await server?.stop();
  anthropic?.stop();
  await telegram?.stop();
  push?.stop();
  closeScreens();
  rmSync(project, { recursive: true, force: true });
});

async function addAccount(name: string, token?: string): Promise<string> {
  const r = await server.api("/api/claude-accounts", { method: "POST", json: { name, token } });
  expect(r.status).toBe(201);
  expect(JSON.stringify(r.body)).not.toContain("sk-ant-oat01");
  return r.body.id;
}

async function attach(id: string, since = 0) {
  const screen = new AgentScreen(server.url, id, server.token, since);
  screens.push(screen);
  await screen.opened();
  return screen;
}

async function claudeReady(screen: AgentScreen) {
  const first = await screen.waitFor(
    (s) => s.includes("trust this folder") || s.includes("for shortcuts"),
    "Claude Code to start",
  );
  if (first.includes("trust this folder")) {
    screen.type("\r");
    await screen.waitForText("for shortcuts");
  }
}

const PASTED_SECRET = "sk-live-pasted-7f3a9c2e41d8b605";
/** Every process's argv and environment, as far as /proc lets us read them. */
function everyProcess() {
  const out: { pid: string; cmdline: string; environ: string }[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      out.push({
        pid,
        cmdline: readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " "),
        environ: readFileSync(`/proc/${pid}/environ`, "utf8"),
      });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
/** Each user turn's text, oldest first (what the model was sent as the user's words). */
function userTurns(body: unknown): string[] {
  type Block = { type: string; text?: string };
  const messages = (body as { messages: { role: string; content: string | Block[] }[] }).messages;
  return messages
    .filter((m) => m.role === "user")
    .map((m) =>
      typeof m.content === "string"
        ? m.content
        : m.content
            .filter((b) => b.type === "text" && !b.text?.startsWith("<"))
            .map((b) => b.text ?? "")
            .join("\n"),
    )
    .filter((t) => t.trim());
}
/** Claude Code's transcript of a conversation once it holds `word` (it writes lazily). */
function savedTranscript(resumeId: string, word: string) {
  return waitFor(
    async () => {
      for await (const f of new Bun.Glob(`.claude/projects/*/${resumeId}.jsonl`).scan({
        cwd: process.env.HOME,
        absolute: true,
        dot: true,
      }))
        if ((await Bun.file(f).text()).includes(word)) return f;
      return null;
    },
    "Claude Code to save the turn",
    30_000,
  );
}
const environ = (pid: number) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
const bearersOf = (word: string) => anthropic.log.mentioning(word).map((r) => r.bearer);

describe("Claude accounts", () => {
  let a: string;
  let b: string;

  test("a session under account A sends A's token, not the host's API key", async () => {
    a = await addAccount("work", TOKEN_A);
    b = await addAccount("personal", TOKEN_B);
    const list = await server.api("/api/claude-accounts");
    expect(list.body.accounts.map((x: { name: string; tokenFilled: boolean }) => [x.name, x.tokenFilled])).toEqual([
      ["work", true],
      ["personal", true],
    ]);
  });

  let sessionId: string;
  test("switching a running session to B: the next turn carries B's token and the earlier turn", async () => {
    const r = await server.api("/api/sessions", {
      method: "POST",
      json: { sessionType: "claude", cwd: project, claudeAccountId: a, cols: 120, rows: 40 },
    });
    expect(r.status).toBe(201);
    sessionId = r.body.id;
    expect(r.body.claudeAccountId).toBe(a);
    const env = environ(r.body.pid);
    expect(env).toContain(`CLAUDE_CODE_OAUTH_TOKEN=${TOKEN_A}`);
    expect(env.some((e) => e.startsWith("ANTHROPIC_API_KEY="))).toBe(false);
    const screen = await attach(sessionId);
    await claudeReady(screen);
    await screen.submit("ask-apple");
    await screen.waitForText("reply-apple");
    expect(bearersOf("ask-apple")).toContain(TOKEN_A);
    // Claude Code writes its transcript lazily: wait until the turn is saved before switching
    const { resumeId, cursor } = (await server.api(`/api/sessions/${sessionId}`)).body;
    await waitFor(
      async () => {
        for await (const f of new Bun.Glob(`.claude/projects/*/${resumeId}.jsonl`).scan({
          cwd: process.env.HOME,
          absolute: true,
          dot: true,
        }))
          if ((await Bun.file(f).text()).includes("reply-apple")) return true;
        return false;
      },
      "Claude Code to save the turn",
      30_000,
    );
    screen.close();

    const sw = await server.api(`/api/sessions/${sessionId}/switch-account`, {
      method: "POST",
      json: { accountId: b },
    });
    expect(sw.status).toBe(200);
    expect(sw.body).toEqual({ status: "switched", resumed: true });
    const after = (await server.api(`/api/sessions/${sessionId}`)).body;
    expect(after.claudeAccountId).toBe(b);
    expect(after.resumeId).toBe(resumeId);
    expect(environ(after.pid)).toContain(`CLAUDE_CODE_OAUTH_TOKEN=${TOKEN_B}`);
    expect(environ(after.pid).join("\n")).not.toContain(TOKEN_A);
    const again = await attach(sessionId, cursor);
    await claudeReady(again);
    await again.submit("ask-pear");
    await again.waitForText("reply-pear");
    const pear = anthropic.log.mentioning("ask-pear").filter((x) => x.texts.some((t) => t.includes("ask-apple")));
    expect(pear.length).toBeGreaterThan(0);
    expect(pear.every((x) => x.bearer === TOKEN_B)).toBe(true);
    again.close();
  }, 150_000);

  test("switching to a disabled or tokenless account is refused with 422 naming it; the session stays", async () => {
    const before = (await server.api(`/api/sessions/${sessionId}`)).body;
    const off = await addAccount("off", "sk-ant-oat01-account-off-333333333333333333333333333");
    expect((await server.api(`/api/claude-accounts/${off}/toggle`, { method: "PATCH" })).body.enabled).toBe(false);
    const empty = await addAccount("empty");
    for (const [accountId, said] of [
      [off, '"off" is disabled'],
      [empty, '"empty" has no token'],
    ] as const) {
      const r = await server.api(`/api/sessions/${sessionId}/switch-account`, { method: "POST", json: { accountId } });
      expect(r.status).toBe(422);
      expect(r.body.error.issues[0].path).toBe("accountId");
      expect(r.body.error.message).toContain(said);
    }
    const missing = await server.api(`/api/sessions/${sessionId}/switch-account`, { method: "POST", json: {} });
    expect(missing.status).toBe(422);
    expect(missing.body.error.issues[0].path).toBe("accountId");
    const after = (await server.api(`/api/sessions/${sessionId}`)).body;
    expect(after.claudeAccountId).toBe(before.claudeAccountId);
    expect(after.pid).toBe(before.pid);
    for (const id of [off, empty]) await server.api(`/api/claude-accounts/${id}`, { method: "DELETE" });
  });

  let recapId: string;
  test("when the conversation cannot be resumed, the new one starts with a recap of the earlier turns", async () => {
    const r = await server.api("/api/sessions", {
      method: "POST",
      json: { sessionType: "claude", cwd: project, claudeAccountId: a, cols: 120, rows: 40 },
    });
    expect(r.status).toBe(201);
    const id = r.body.id;
    recapId = id;
    const screen = await attach(id);
    await claudeReady(screen);
    // a secret pasted into the conversation: the recap carries it, so it must stay out of argv and env
    await screen.submit(`ask-fig my key is ${PASTED_SECRET}`);
    await screen.waitForText("reply-fig");
    const { resumeId } = (await server.api(`/api/sessions/${id}`)).body;
    const transcript = await waitFor(
      async () => {
        for await (const f of new Bun.Glob(`.claude/projects/*/${resumeId}.jsonl`).scan({
          cwd: process.env.HOME,
          absolute: true,
          dot: true,
        }))
          if ((await Bun.file(f).text()).includes("reply-fig")) return f;
        return null;
      },
      "Claude Code to save the turn",
      30_000,
    );
    // --resume has nothing to find any more
    rmSync(transcript);
    screen.close();
    const seen = anthropic.log.requests.length;
    const sw = await server.api(`/api/sessions/${id}/switch-account`, { method: "POST", json: { accountId: b } });
    expect(sw.status).toBe(200);
    expect(sw.body).toEqual({ status: "switched", resumed: false });
    const after = (await server.api(`/api/sessions/${id}`)).body;
    expect(after.claudeAccountId).toBe(b);
    expect(after.status).not.toBe("exited");
    // the new conversation's first turn is the recap, sent under B without a word typed
    const first = await waitFor(
      () => anthropic.log.requests.slice(seen).find((x) => x.texts.some((t) => t.includes("could not be resumed"))),
      "the recap to reach the model",
      60_000,
    );
    expect(first.bearer).toBe(TOKEN_B);
    const recap = first.texts.find((t) => t.includes("could not be resumed")) ?? "";
    expect(recap).toContain("ask-fig");
    expect(recap).toContain("reply-fig");
    expect(recap).toContain(PASTED_SECRET);
    // typed in, not passed: no process's argv or environment holds the recap or the secret in it
    expect(after.pid).toBeGreaterThan(0);
    const leaks = everyProcess().filter((p) =>
      ["could not be resumed", PASTED_SECRET].some((word) => p.cmdline.includes(word) || p.environ.includes(word)),
    );
    expect(leaks.map((p) => `${p.pid}: ${p.cmdline.slice(0, 200)}`)).toEqual([]);
    // the recap turn is the new conversation's own: the next turn builds on it
    const screen2 = await attach(id, after.cursor);
    await claudeReady(screen2);
    await screen2.submit("ask-date");
    await screen2.waitForText("reply-date");
    const date = anthropic.log.mentioning("ask-date");
    expect(date.some((x) => x.texts.some((t) => t.includes("could not be resumed")))).toBe(true);
    screen2.close();
  }, 150_000);

  test("text typed the moment Claude's prompt shows after a recap switch waits for the recap, then arrives whole after it", async () => {
    const id = recapId;
    const { resumeId } = (await server.api(`/api/sessions/${id}`)).body;
    rmSync(await savedTranscript(resumeId, "reply-date"));
    // the screen from the output's end: what the new process draws, not the old one's prompt
    const end = Number((await server.api(`/api/sessions/${id}/buffer`)).headers.get("x-opendray-cursor"));
    const screen = await attach(id, end);
    const seen = anthropic.log.requests.length;
    const switched = server.api(`/api/sessions/${id}/switch-account`, { method: "POST", json: { accountId: a } });
    // the new conversation's prompt: the user types at once, over the WebSocket and through the API
    await screen.waitFor((s) => s.includes("for shortcuts") && s.includes("Claude Code"), "the new Claude's prompt");
    screen.type("ask-grape");
    await Bun.sleep(300);
    const enter = await server.api(`/api/sessions/${id}/input`, { method: "POST", json: { input: "\r", id: "grape" } });
    expect(enter.body).toEqual({ status: "sent", id: "grape" });
    const sw = await switched;
    expect(sw.status).toBe(200);
    expect(sw.body).toEqual({ status: "switched", resumed: false });
    await screen.waitForText("reply-grape", 60_000);
    const turns = anthropic.log.requests.slice(seen).map((x) => ({ bearer: x.bearer, users: userTurns(x.body) }));
    // the recap went in whole as a turn of its own, without a keystroke of the user's in it
    const recapTurn = turns.find((t) => t.users.at(-1)?.includes("could not be resumed"));
    const recap = recapTurn?.users.at(-1) ?? "";
    expect(recap).toContain("reply-date");
    expect(recap.trimEnd().endsWith("Wait for my next message before doing anything.")).toBe(true);
    expect(recap).not.toContain("grape");
    // the user's text followed it, intact, as the next turn
    const grape = turns.find((t) => t.users.at(-1)?.includes("grape"));
    expect(grape?.bearer).toBe(TOKEN_A);
    expect(grape?.users.at(-1)?.trim()).toBe("ask-grape");
    expect(grape?.users.slice(0, -1).some((u) => u.includes("could not be resumed"))).toBe(true);
    screen.close();
    await server.api(`/api/sessions/${id}`, { method: "DELETE" });
  }, 150_000);

  let movedId: string;
  test("A hits its usage limit: the session moves to B by itself, the phone is told, and the turn goes on under B", async () => {
    // the user's clock is Berlin's: Claude names the reset in it
    const r = await server.api("/api/sessions", {
      method: "POST",
      json: {
        sessionType: "claude",
        cwd: project,
        claudeAccountId: a,
        cols: 120,
        rows: 40,
        envOverrides: { TZ: "Europe/Berlin" },
      },
    });
    expect(r.status).toBe(201);
    const id = r.body.id;
    movedId = id;
    const screen = await attach(id);
    await claudeReady(screen);
    limited.add(TOKEN_A);
    await screen.submit("ask-kiwi");
    const banner = await screen.waitForText("You've hit your session limit");
    expect(banner).toContain("(Europe/Berlin)");
    const moved = await waitFor(
      async () => {
        const s = (await server.api(`/api/sessions/${id}`)).body;
        return s.claudeAccountId === b && s.status !== "exited" ? s : null;
      },
      "the session to move to account B",
      30_000,
    );
    const accounts = (await server.api("/api/claude-accounts")).body.accounts as {
      name: string;
      limitedUntil: string | null;
    }[];
    const work = accounts.find((x) => x.name === "work");
    // the stub said: resets three hours from now (Claude shows it to the minute, on a Berlin clock)
    const until = Date.parse(work?.limitedUntil ?? "");
    expect(Math.abs(until - (Date.now() + 3 * 3600_000))).toBeLessThan(120_000);
    expect(accounts.find((x) => x.name === "personal")?.limitedUntil).toBeNull();
    const berlin = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Berlin",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).format(new Date(until));
    const said = `moved from work to personal; work resets ${berlin} Europe/Berlin`;
    const told = await telegram.waitForMessage(CHAT, (m) => !!m.text?.includes("moved from work to personal"));
    expect(told.text).toContain(said);
    const pushed = await waitFor(
      () => push.received.find((p) => String(p.payload.body).includes("moved from work")),
      "the push notification",
    );
    expect(pushed.payload).toMatchObject({ kind: "account", sessionId: id, url: `/s/${id}`, body: said });
    expect(String(pushed.payload.title)).toContain("changed Claude account");

    screen.close();
    const again = await attach(id, moved.cursor);
    await claudeReady(again);
    await again.submit("ask-lime");
    await again.waitForText("reply-lime");
    const lime = anthropic.log.mentioning("ask-lime");
    expect(lime.length).toBeGreaterThan(0);
    expect(lime.every((x) => x.bearer === TOKEN_B)).toBe(true);
    expect(lime.some((x) => x.texts.some((t) => t.includes("ask-kiwi")))).toBe(true);
    again.close();
    limited.delete(TOKEN_A);
  }, 150_000);

  test("after a server restart a running session's limit is still seen; with failover off it stays and the phone is offered the free account", async () => {
    const spare = await addAccount("spare", TOKEN_C);
    expect(spare).toBeTruthy();
    const r = await server.api("/api/sessions", {
      method: "POST",
      json: { sessionType: "claude", cwd: project, claudeAccountId: b, cols: 120, rows: 40 },
    });
    expect(r.status).toBe(201);
    const id = r.body.id;
    const screen = await attach(id);
    await claudeReady(screen);
    screen.close();

    // the server goes away and comes back with failover off; the PTY host keeps the session
    await server.kill9();
    server.env.CLAUDE_FAILOVER = "false";
    await server.restart();
    const back = (await server.api(`/api/sessions/${id}`)).body;
    expect(back.status).not.toBe("exited");
    expect(back.pid).toBe(r.body.pid);
    // the session that moved off work still shows work's banner: after the restart it is history,
    // not a limit of personal, whatever the session draws next
    const old = await attach(movedId, (await server.api(`/api/sessions/${movedId}`)).body.cursor);
    old.type("x");
    await Bun.sleep(2000);
    const personalNow = (await server.api(`/api/claude-accounts/${b}`)).body;
    expect(personalNow.limitedUntil).toBeNull();
    old.close();

    const again = await attach(id, back.cursor);
    limited.add(TOKEN_B);
    await again.submit("ask-plum");
    await again.waitForText("You've hit your session limit");
    const told = await telegram.waitForMessage(CHAT, (m) => !!m.text?.includes("personal hit its usage limit"));
    expect(told.text).toMatch(/personal resets \d\d:\d\d UTC\. Switch to spare or wait\./);
    const pushed = await waitFor(
      () => push.received.find((p) => String(p.payload.body).includes("personal hit its usage limit")),
      "the push notification",
    );
    expect(pushed.payload).toMatchObject({ sessionId: id, kind: "account" });
    expect(String(pushed.payload.title)).toContain("hit a Claude usage limit");
    const accounts = (await server.api("/api/claude-accounts")).body.accounts as {
      name: string;
      limitedUntil: string | null;
    }[];
    expect(accounts.find((x) => x.name === "personal")?.limitedUntil).not.toBeNull();
    // not moved: same account, same process
    await Bun.sleep(1000);
    const after = (await server.api(`/api/sessions/${id}`)).body;
    expect(after.claudeAccountId).toBe(b);
    expect(after.pid).toBe(r.body.pid);
    again.close();
    limited.delete(TOKEN_B);
  }, 150_000);

  test("no account token in the logs, the database, the PTY host's environment or a non-Claude session's", async () => {
    const shell = await server.api("/api/sessions", {
      method: "POST",
      json: { sessionType: "terminal", cwd: project, cols: 80, rows: 24 },
    });
    expect(shell.status).toBe(201);
    const term = await attach(shell.body.id);
    // a login shell stopped before its prompt can leave a lock behind: wait for the prompt, past the
    // 60 s another test's killed login shell can make pyenv's init wait
    await term.waitFor((s) => /[$#]\s*$/m.test(s), "the shell prompt", 120_000);
    const shellEnv = environ(shell.body.pid).join("\n");
    term.close();
    expect(shellEnv).not.toContain("sk-ant-oat01");
    expect(shellEnv).not.toContain("CLAUDE_CODE_OAUTH_TOKEN");
    const hosts = readdirSync("/proc").filter((p) => {
      if (!/^\d+$/.test(p)) return false;
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, "utf8");
        return cmd.includes("ptyd") && cmd.includes(server.home);
      } catch {
        return false;
      }
    });
    expect(hosts.length).toBeGreaterThan(0);
    for (const pid of hosts) expect(environ(Number(pid)).join("\n")).not.toContain("sk-ant-oat01");
    expect(server.logs()).not.toContain("sk-ant-oat01");
    for (const f of readdirSync(join(server.home, "logs")))
      expect(readFileSync(join(server.home, "logs", f), "utf8")).not.toContain("sk-ant-oat01");
    // nor the database, after sessions launched, switched and failed over under the accounts
    const file = join(server.home, "..", "dump.sql");
    const dump = await opendray(["db", "dump", "--output", file], { OPENDRAY_HOME: server.home });
    expect(dump.code, dump.stderr).toBe(0);
    const text = readFileSync(file, "utf8");
    expect(text).toContain("claude_accounts");
    expect(text).not.toContain("sk-ant-oat01");
    rmSync(file);
    await server.api(`/api/sessions/${shell.body.id}`, { method: "DELETE" });
  }, 90_000);
});
