import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServer, type TestServer, waitFor } from "../harness";
import { AgentScreen, closeScreens } from "./screen";

let server: TestServer;
let pluginDir: string;

beforeAll(async () => {
  server = await startServer();
  pluginDir = join(server.home, "plugins");
});
afterAll(async () => {
  await server?.stop();
  closeScreens();
});

const providers = async () => (await server.api("/api/providers")).body as any[];
const provider = async (name: string) => (await providers()).find((p) => p.name === name);

function dropManifest(relDir: string, manifest: unknown) {
  mkdirSync(join(pluginDir, relDir), { recursive: true });
  writeFileSync(
    join(pluginDir, relDir, "manifest.json"),
    typeof manifest === "string" ? manifest : JSON.stringify(manifest, null, 2),
  );
}

describe("the provider list", () => {
  test("shows the six agents with icon, models, capabilities, config fields and install state, and the panels", async () => {
    const agents = (await server.api("/api/providers?kind=agent")).body as any[];
    expect(agents.map((a) => a.name)).toEqual(["claude", "codex", "gemini", "opencode", "qwen-code", "terminal"]);
    for (const a of agents) {
      expect(a.installed).toBe(true);
      expect(a.enabled).toBe(true);
      expect(a.provider.icon).toBeString();
      expect(a.provider.capabilities).toContainKeys(["supportsResume", "supportsStream", "supportsMcp"]);
    }
    const claude = agents[0];
    expect(claude.provider.displayName).toBe("Claude Code");
    expect(claude.provider.models.map((m: any) => m.id)).toEqual(["sonnet", "opus", "haiku"]);
    expect(claude.provider.configSchema.map((f: any) => f.key)).toContain("bypassPermissions");
    const panels = (await server.api("/api/providers?kind=panel")).body as any[];
    expect(panels.map((p) => p.name).sort()).toEqual([
      "docs",
      "files",
      "forge",
      "git",
      "logs",
      "mcp",
      "pg",
      "preview",
      "simulator",
      "tasks",
      "telegram",
    ]);
    expect((await server.api("/api/providers/codex")).body.provider.displayName).toBe("Codex CLI");
    expect((await server.api("/api/providers/qwen-code/models")).body.models[0].id).toBe("qwen3-coder-plus");
    const missing = await server.api("/api/providers/nope");
    expect(missing.status).toBe(404);
    expect((await server.api("/api/providers", { headers: { authorization: "Bearer nope" } })).status).toBe(401);
  });
});

describe("enable/disable and config", () => {
  test("survive a server restart; a secret is shown as set, never its value", async () => {
    const put = await server.api("/api/providers/claude/config", {
      method: "PUT",
      json: { values: { authType: "custom", apiKey: "sk-very-secret", bypassPermissions: true } },
    });
    expect(put.status).toBe(200);
    expect(JSON.stringify(put.body)).not.toContain("sk-very-secret");
    const toggled = await server.api("/api/providers/codex/toggle", { method: "PATCH", json: { enabled: false } });
    expect(toggled.body).toEqual({ name: "codex", enabled: false });

    await server.kill9();
    await server.restart();

    const config = (await server.api("/api/providers/claude/config")).body;
    expect(config.values).toMatchObject({
      authType: "custom",
      apiKey: "__set__",
      bypassPermissions: true,
      permissionMode: "",
    });
    expect(JSON.stringify(await providers())).not.toContain("sk-very-secret");
    expect((await provider("codex")).enabled).toBe(false);
    const refused = await server.api("/api/sessions", { method: "POST", json: { sessionType: "codex", cwd: "/tmp" } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.message).toContain("disabled");
    await server.api("/api/providers/codex/toggle", { method: "PATCH", json: { enabled: true } });

    // "__set__" sent back keeps the secret; null removes it.
    await server.api("/api/providers/claude/config", { method: "PUT", json: { values: { apiKey: "__set__" } } });
    expect((await server.api("/api/providers/claude/config")).body.values.apiKey).toBe("__set__");
    await server.api("/api/providers/claude/config", { method: "PUT", json: { values: { apiKey: null } } });
    expect((await server.api("/api/providers/claude/config")).body.values.apiKey).toBe("");
  });

  test("bad input is refused with the field that is wrong", async () => {
    const unknown = await server.api("/api/providers/claude/config", {
      method: "PUT",
      json: { values: { colour: "red", bypassPermissions: "maybe" } },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.issues).toEqual([
      { path: "values.colour", message: "unknown config key" },
      { path: "values.bypassPermissions", message: "must be true or false" },
    ]);
    const badSelect = await server.api("/api/providers/codex/config", {
      method: "PUT",
      json: { values: { approval: "sometimes" } },
    });
    expect(badSelect.status).toBe(422);
    expect(badSelect.body.error.issues[0].path).toBe("values.approval");
    const required = await server.api("/api/providers/terminal/toggle", { method: "PATCH", json: { enabled: false } });
    expect(required.status).toBe(400);
    const unknownType = await server.api("/api/sessions", {
      method: "POST",
      json: { sessionType: "nope", cwd: "/tmp" },
    });
    expect(unknownType.status).toBe(422);
    expect(unknownType.body.error.issues[0].path).toBe("sessionType");
  });
});

describe("the plugin directory is watched", () => {
  test("the README's manifest dropped in appears within seconds, not installed, and launching it says how to install it", async () => {
    dropManifest("agents/my-agent", {
      name: "my-agent",
      kind: "agent",
      icon: "🤖",
      cliSpec: { command: "my-agent-cli", defaultArgs: ["--no-color"], installDetect: "which my-agent-cli" },
      capabilities: { supportsResume: false, supportsStream: true, supportsMcp: true },
    });
    const mine = await waitFor(
      () => provider("my-agent").then((p) => p?.installed === false && p),
      "my-agent to appear",
      10_000,
    );
    expect(mine.source).toBe("user");
    const r = await server.api("/api/sessions", { method: "POST", json: { sessionType: "my-agent", cwd: "/tmp" } });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toContain('"my-agent-cli" is not on PATH');
    rmSync(join(pluginDir, "agents", "my-agent"), { recursive: true });
    await waitFor(async () => !(await provider("my-agent")), "my-agent to go away", 10_000);
  });

  test("a new agent runs in a PTY without a restart, with its args and env", async () => {
    dropManifest("agents/echo-agent", {
      $schema: "../../schema/manifest.schema.json",
      name: "echo-agent",
      kind: "agent",
      displayName: "Echo agent",
      cliSpec: {
        command: "sh",
        defaultArgs: ["-c", 'echo "agent=$ECHO_NAME args=$*"; exec cat', "echo-agent"],
        env: { ECHO_NAME: "from-manifest" },
      },
      capabilities: { supportsResume: false, supportsStream: true, supportsMcp: false },
      models: [{ id: "m1", name: "Model one" }],
    });
    await waitFor(() => provider("echo-agent").then((p) => p?.installed), "echo-agent to appear", 10_000);
    const r = await server.api("/api/sessions", {
      method: "POST",
      json: { sessionType: "echo-agent", cwd: "/tmp", model: "m1", extraArgs: `--say "two words"` },
    });
    expect(r.status).toBe(201);
    const screen = new AgentScreen(server.url, r.body.id, server.token);
    await screen.opened();
    await screen.waitForText("agent=from-manifest args=--model m1 --say two words", 15_000);
    screen.close();
    await server.api(`/api/sessions/${r.body.id}/stop`, { method: "POST" });
  });

  test("a stored secret cleared with null is gone from the next launch; a secret that is not a string is refused", async () => {
    dropManifest("agents/secret-agent", {
      name: "secret-agent",
      kind: "agent",
      cliSpec: {
        command: "sh",
        defaultArgs: [
          "-c",
          '[ -n "$SECRET_TOKEN" ] && echo "token=$SECRET_TOKEN" || echo token=unset; exec cat',
          "secret-agent",
        ],
      },
      capabilities: { supportsResume: false, supportsStream: true, supportsMcp: false },
      configSchema: [{ key: "token", label: "Token", type: "secret", envVar: "SECRET_TOKEN" }],
    });
    await waitFor(() => provider("secret-agent").then((p) => p?.installed), "secret-agent to appear", 10_000);
    const config = (values: Record<string, unknown>) =>
      server.api("/api/providers/secret-agent/config", { method: "PUT", json: { values } });
    const launch = async (seen: string) => {
      const r = await server.api("/api/sessions", {
        method: "POST",
        json: { sessionType: "secret-agent", cwd: "/tmp" },
      });
      expect(r.status).toBe(201);
      const screen = new AgentScreen(server.url, r.body.id, server.token);
      await screen.opened();
      await screen.waitForText(seen, 15_000);
      screen.close();
      await server.api(`/api/sessions/${r.body.id}/stop`, { method: "POST" });
    };
    expect((await config({ token: "tok-7781" })).body.values.token).toBe("__set__");
    await launch("token=tok-7781");

    const refused = await config({ token: true });
    expect(refused.status).toBe(422);
    expect(refused.body.error.issues).toEqual([{ path: "values.token", message: "must be a string" }]);
    // "" and "__set__" keep it; null clears it.
    expect((await config({ token: "" })).body.values.token).toBe("__set__");
    const cleared = await config({ token: null });
    expect(cleared.status).toBe(200);
    expect(cleared.body.values.token).toBe("");
    await launch("token=unset");
    rmSync(join(pluginDir, "agents", "secret-agent"), { recursive: true });
  });

  test("a broken manifest is reported with its file, field and reason; fixing it loads it", async () => {
    dropManifest("agents/broken", {
      name: "broken",
      kind: "agent",
      cliSpec: { comand: "x" },
      capabilities: { supportsResume: false, supportsStream: true, supportsMcp: false },
    });
    const errors = await waitFor(
      async () =>
        ((await server.api("/api/plugins/errors")).body as any[]).find((e) =>
          e.file.endsWith("agents/broken/manifest.json"),
        ),
      "the broken manifest to be reported",
      10_000,
    );
    expect(errors.issues).toContainEqual({ path: "cliSpec.command", message: "required field is missing" });
    expect(errors.issues).toContainEqual({ path: "cliSpec.comand", message: "unknown field" });
    expect(server.logs()).toContain("invalid plugin manifest");
    dropManifest("agents/broken", {
      name: "broken",
      kind: "agent",
      cliSpec: { command: "sh" },
      capabilities: { supportsResume: false, supportsStream: true, supportsMcp: false },
    });
    await waitFor(() => provider("broken"), "the fixed manifest to load", 10_000);
    expect((await server.api("/api/plugins/errors")).body).toEqual([]);
    rmSync(join(pluginDir, "agents", "broken"), { recursive: true });
  });

  test("install detection runs the manifest's installDetect again on demand", async () => {
    const flag = join(server.home, "detect-flag");
    dropManifest("agents/detected", {
      name: "detected",
      kind: "agent",
      cliSpec: { command: "sh", installDetect: `test -e '${flag}'` },
      capabilities: { supportsResume: false, supportsStream: true, supportsMcp: false },
    });
    await waitFor(
      () => provider("detected").then((p) => p?.installed === false),
      "detected to appear, not installed",
      10_000,
    );
    writeFileSync(flag, "");
    const refreshed = await server.api("/api/providers/refresh", { method: "POST" });
    expect(refreshed.body.find((p: any) => p.name === "detected").installed).toBe(true);
    expect((await provider("detected")).installed).toBe(true);
    rmSync(join(pluginDir, "agents", "detected"), { recursive: true });
  });

  test("the user's copy of a builtin wins, and removing it brings the builtin back", async () => {
    const builtin = (await provider("gemini")).provider;
    dropManifest("agents/gemini", { ...builtin, displayName: "My Gemini" });
    const mine = await waitFor(
      () => provider("gemini").then((p) => p?.source === "user" && p),
      "the user's gemini",
      10_000,
    );
    expect(mine.provider.displayName).toBe("My Gemini");
    rmSync(join(pluginDir, "agents", "gemini"), { recursive: true });
    const back = await waitFor(
      () => provider("gemini").then((p) => p?.source !== "user" && p),
      "the builtin gemini",
      10_000,
    );
    expect(back.provider.displayName).toBe("Gemini CLI");
  });
});

describe("hooks", () => {
  test("a plugin's manifest subscribes an HTTP callback to session events", async () => {
    const received: any[] = [];
    const receiver = Bun.serve({
      port: 0,
      hostname: "127.0.0.1",
      async fetch(req) {
        received.push(await req.json());
        return new Response("ok");
      },
    });
    try {
      dropManifest("panels/watcher", {
        name: "watcher",
        kind: "panel",
        hooks: { url: `http://127.0.0.1:${receiver.port}/events`, events: ["onSessionStart", "onSessionStop"] },
      });
      await waitFor(
        async () => (await server.api("/api/hooks")).body.watcher,
        "the watcher's hooks to be listed",
        10_000,
      );
      expect((await server.api("/api/hooks")).body.watcher).toEqual(["onSessionStart", "onSessionStop"]);
      const r = await server.api("/api/sessions", { method: "POST", json: { sessionType: "terminal", cwd: "/tmp" } });
      const id = r.body.id as string;
      await waitFor(
        () => received.some((e) => e.type === "onSessionStart" && e.sessionId === id),
        "onSessionStart to arrive",
        10_000,
      );
      await server.api(`/api/sessions/${id}/stop`, { method: "POST" });
      await waitFor(
        () => received.some((e) => e.type === "onSessionStop" && e.sessionId === id),
        "onSessionStop to arrive",
        10_000,
      );
      expect(received.every((e) => e.plugin === "watcher" && typeof e.timestamp === "string")).toBe(true);
      expect(received.some((e) => e.type === "onOutput")).toBe(false);
    } finally {
      rmSync(join(pluginDir, "panels", "watcher"), { recursive: true, force: true });
      receiver.stop(true);
    }
  });
});
