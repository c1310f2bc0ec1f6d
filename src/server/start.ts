import { join } from "node:path";
import {
  AccountService,
  AccountStore,
  createAccountRoutes,
  OAuthFlows,
  watchLimits,
  withClaudeAccounts,
} from "../accounts";
import { AuthService } from "../auth";
import { ChangesWatcher, createChangesRoutes } from "../changes";
import { type Config, ensureHomeDirs, loadConfig } from "../config";
import { captureBaseline, createDiffRoutes, sessionDiff } from "../diff";
import { createDocsRoutes } from "../docs";
import { createFilesRoutes } from "../files";
import { createForgeRoutes } from "../forge";
import { HookBus } from "../hooks/bus";
import { createLlmGateway, createLlmRoutes, LlmService, routedResolver, type Wire } from "../llm";
import { log, setLogLevel } from "../log";
import { createLogsRoutes } from "../logs";
import { McpFeature } from "../mcp";
import { createPgRoutes } from "../pg";
import {
  canResume,
  createLaunchResolver,
  createPluginRegistry,
  createProviderRoutes,
  panelEnabled,
  probeCodexSandboxEarly,
  whichCommand,
} from "../plugins";
import { SecretBox } from "../plugins/secret-box";
import { createPreviewRoutes, createPreviewService } from "../preview";
import { createPromptRoutes } from "../prompts/routes";
import { createPushRoutes, PushService } from "../push";
import { createScreenRoutes } from "../screen/routes";
import { SessionService, searchEndedSession } from "../sessions";
import { createSimulatorRoutes } from "../simulator";
import { openStore } from "../store";
import { createTasksRoutes, TaskRunner, withTaskSessions } from "../tasks";
import { createTelegramRoutes, sessionsForTelegram, startTelegram } from "../telegram";
import { createUiPrefsRoutes } from "../ui-prefs";
import { version } from "../version";
import { createWebRoutes, ensureWebApp } from "../web";
import { createApp, LLM_MAX_BODY_BYTES } from "./app";
import { acquireServerLock } from "./lock";
import { loginLinkText, reachableUrls } from "./login-link";
import { selfCommand, sessionBaseEnv } from "./self";

export interface RunningServer {
  url: string;
  config: Config;
  stop(): Promise<void>;
}

export async function startServer(config: Config = loadConfig({ persistGenerated: true })): Promise<RunningServer> {
  setLogLevel(config.server.logLevel);
  ensureHomeDirs(config);
  const lock = acquireServerLock(config.paths.run, config.home, `http://${config.server.listenAddr}`);
  const store = await openStore(config).catch((e) => {
    lock.release();
    throw e;
  });
  const hooks = new HookBus();
  const auth = new AuthService(store.sql, config.auth.jwtSecret);
  await auth.applyEnvAdmin(config.auth.adminUsername, config.auth.adminPassword);
  const baseEnv = sessionBaseEnv();
  const plugins = createPluginRegistry({ config, sql: store.sql, hooks });
  await plugins.start();
  const accountStore = new AccountStore(store.sql, SecretBox.fromKeyFile(join(config.home, "plugin-secrets.key")));
  const accountOf = new Map<string, string>();
  const recaps = new Map<string, string>();
  if (config.inContainer) probeCodexSandboxEarly((name) => whichCommand(name, process.env.PATH));
  const llm = new LlmService({
    sql: store.sql,
    box: SecretBox.fromKeyFile(`${config.home}/plugin-secrets.key`),
    env: process.env,
    agentEnv: baseEnv,
    hooks,
    agentWire: (type) => {
      const m = plugins.entry(type)?.manifest;
      return m?.kind === "agent" ? (m.llm?.wire as Wire | undefined) : undefined;
    },
  });
  // Before the PTY host starts: it and every session inherit baseEnv without the endpoints' key variables.
  await llm.init();
  // AUTO_RESUME may start routed sessions before the server listens: the configured address till then.
  let serverUrl = urlOf(config.server.host, config.server.port);
  const mcp = new McpFeature({
    sql: store.sql,
    box: SecretBox.fromKeyFile(`${config.home}/plugin-secrets.key`),
    home: config.home,
    spec: (type) => {
      const m = plugins.entry(type)?.manifest;
      return m?.kind === "agent" ? m.mcp : undefined;
    },
    tokens: llm.tokens,
    serverUrl: () => serverUrl,
    self: selfCommand(),
    config: config.mcp,
  });
  const sessions = new SessionService({
    sql: store.sql,
    hooks,
    resolver: routedResolver(
      mcp.resolver(
        withTaskSessions(
          withClaudeAccounts(createLaunchResolver(plugins, { inContainer: config.inContainer }), {
            store: accountStore,
            policy: () => config.claude.assign,
            onLaunch: (sessionId, accountId) => accountOf.set(sessionId, accountId),
            recap: (sessionId) => recaps.get(sessionId),
          }),
        ),
      ),
      llm,
      () => serverUrl,
      `${config.home}/llm-homes`,
    ),
    llmRoute: (input) => llm.route(input),
    mcp: mcp.sessionHooks,
    overlayScreens: mcp.overlay,
    host: {
      socketPath: config.paths.ptydSocket,
      launch: {
        command: [...selfCommand(), "ptyd", "--socket", config.paths.ptydSocket],
        logFile: `${config.paths.logs}/ptyd.log`,
        env: baseEnv,
      },
    },
    outputDir: `${config.home}/sessions`,
    idleThresholdSeconds: config.sessions.idleThresholdSeconds,
    maxSessions: config.sessions.maxSessions,
    logMaxBytes: config.sessions.logMaxMb * 1024 * 1024,
    maxLagMs: config.sessions.maxLagSeconds * 1000,
    autoResume: config.sessions.autoResume,
    canResume: (sessionType) => canResume(plugins, sessionType),
    captureBaseline,
    baseEnv,
  });
  await sessions.init();
  // Sessions re-attached after a restart did not launch through the resolver: their account comes from the row.
  const reattached: string[] = [];
  for (const s of await sessions.list())
    if (s.claudeAccountId && s.status !== "exited" && !accountOf.has(s.id)) {
      accountOf.set(s.id, s.claudeAccountId);
      reattached.push(s.id);
    }
  await llm.revokeEnded();
  const screens = sessions.liveScreens;
  const accounts = new AccountService({
    store: accountStore,
    sessions,
    hooks,
    accountsDir: join(config.home, "claude-accounts"),
    claude: () => config.claude,
    recaps,
    screens,
  });
  const flows = new OAuthFlows({ store: accountStore, accountsDir: join(config.home, "claude-accounts"), baseEnv });
  const stopLimits = watchLimits({
    hooks,
    screens,
    accountOf: (id) => accountOf.get(id),
    onLimit: (id, accountId, hit) => accounts.limitHit(id, accountId, hit),
    reattached,
    adopted: (id) => sessions.adopted(id),
  });
  const preview = createPreviewService(config, sessions, plugins, config.server.tls);
  const telegram = startTelegram({
    sql: store.sql,
    hooks,
    config,
    sessions: {
      ...sessionsForTelegram(sessions, screens),
      previewLinks: (id, text) => preview.links(id, text, serverUrl),
    },
  });
  const changes = new ChangesWatcher(sessions);
  await changes.start(hooks);
  const tasks = new TaskRunner({ sessions, registry: plugins });
  await tasks.watch(hooks);
  const push = new PushService({ sql: store.sql, sessions });
  push.listen(hooks);
  mcp.connect({
    promptEvent: (id, event) => {
      sessions.notify(id, event.type === "prompt" ? { ...event.prompt, type: "prompt" } : event);
      if (event.type === "prompt") hooks.emit("onPrompt", id, event.prompt);
      else hooks.emit("onPromptCleared", id, { id: event.id });
    },
    notify: async (id, text) => {
      const session = await sessions.get(id).catch(() => null);
      const [pushed, chats] = await Promise.all([
        push.notify({ kind: "message", sessionId: id, sessionName: session?.name, detail: text }).catch(() => 0),
        telegram.notify?.(id, text).catch(() => 0) ?? 0,
      ]);
      return pushed + chats;
    },
    diff: async (id) => {
      const info = await sessions.diffInfo(id);
      if (!info.baseline) throw new Error("this session's directory is not a git repository");
      const d = await sessionDiff(info.cwd, info.baseline);
      if (!d.files.length) return "no changes since the session started";
      return d.files.map((f) => `${f.status} ${f.path} +${f.additions} -${f.deletions}`).join("\n");
    },
    screenshot: async (id, a) => {
      if (!panelEnabled(plugins, "preview")) throw new Error("the preview panel is disabled (Settings → Panels)");
      const caller = { host: new URL(serverUrl).host, proto: "http" as const };
      const p = a.preview ?? (await preview.open({ sessionId: id, port: a.port ?? 0 }, caller)).id;
      if (!preview.list().some((x) => x.id === p && x.sessionId === id))
        throw new Error(`no preview ${p} of this session`);
      return preview.screenshot(p, { width: a.width, height: a.height, fullPage: a.fullPage, path: a.path });
    },
  });
  const app = createApp({
    auth,
    sessions,
    allowedOrigins: config.server.allowedOrigins,
    trustedProxies: config.server.trustedProxies,
    proxiedBodyLimit: (request) => preview.bodyLimit(request),
    rateLimits: {
      mutationsPerMin: config.server.rateLimitMutationsPerMin,
      readsPerMin: config.server.rateLimitReadsPerMin,
    },
    features: [
      createProviderRoutes({ registry: plugins, auth }),
      createScreenRoutes({
        screen: (id) => screens.screen(id),
        searchEnded: (id, q, limit) => searchEndedSession(sessions, id, q, limit),
        auth,
      }),
      createPromptRoutes({ tracker: (id) => screens.tracker(id), exists: (id) => sessions.get(id), auth }),
      createDiffRoutes({ auth, sessions }),
      createChangesRoutes({ auth, registry: plugins, sessions }),
      createTasksRoutes({ auth, registry: plugins, runner: tasks }),
      createFilesRoutes({ auth, registry: plugins, sessions, configRoots: config.files.roots }),
      createLogsRoutes({
        auth,
        registry: plugins,
        sessions,
        configRoots: config.files.roots,
        allowedOrigins: config.server.allowedOrigins,
      }),
      createDocsRoutes({ auth, registry: plugins, sessions, configRoots: config.files.roots }),
      createTelegramRoutes({ telegram, auth }),
      createPushRoutes({ push, auth }),
      createPgRoutes({ auth, registry: plugins, sessions, sql: store.sql }),
      createForgeRoutes({ auth, registry: plugins, sessions }),
      createSimulatorRoutes({ auth, registry: plugins }),
      createLlmRoutes({ llm, auth }),
      createLlmGateway({ llm, firstByteTimeoutMs: config.llm.firstByteTimeoutSeconds * 1000 }),
      createUiPrefsRoutes({ sql: store.sql, auth }),
      createAccountRoutes({ accounts, flows, auth }),
      createPreviewRoutes({ auth, registry: plugins, preview }),
      ...mcp.routes(auth),
    ],
    web: createWebRoutes(),
  });
  const tls = config.server.tls;
  app.listen({
    hostname: config.server.host,
    port: config.server.port,
    maxRequestBodySize: LLM_MAX_BODY_BYTES,
    ...(tls ? { tls: { cert: Bun.file(tls.cert), key: Bun.file(tls.key) } } : {}),
  });
  const port = app.server?.port ?? config.server.port;
  const urls = reachableUrls(config.server.host, port, Boolean(tls));
  const url = urls[0] as string;
  serverUrl = url;
  lock.update(url);
  log.info("OpenDray listening", { url, version, db: config.db.mode });
  void ensureWebApp();
  if (!(await auth.adminConfigured())) {
    const { code, expiresAt } = await auth.issueOneTimeCode();
    process.stdout.write(loginLinkText(urls, code, expiresAt));
  }
  let stopping: Promise<void> | undefined;
  return {
    url,
    config,
    stop: () =>
      (stopping ??= (async () => {
        await app.stop(true);
        preview.stop();
        plugins.stop();
        changes.stop();
        stopLimits();
        flows.stop();
        tasks.stop();
        await telegram.stop();
        mcp.stop();
        await sessions.shutdown();
        await store.close();
        lock.release();
      })()),
  };
}

function urlOf(host: string, port: number) {
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`;
}

export async function serve() {
  const server = await startServer();
  const onSignal = async (signal: string) => {
    log.info("shutting down; sessions keep running in the PTY host (end them with: opendray stop --sessions)", {
      signal,
    });
    await server.stop();
    process.exit(0);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
