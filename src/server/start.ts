import { AuthService } from "../auth";
import { type Config, ensureHomeDirs, loadConfig } from "../config";
import { captureBaseline, createDiffRoutes } from "../diff";
import { createForgeRoutes } from "../forge";
import { HookBus } from "../hooks/bus";
import { log, setLogLevel } from "../log";
import { createPgRoutes } from "../pg";
import { canResume, createLaunchResolver, createPluginRegistry, createProviderRoutes } from "../plugins";
import { createPreviewRoutes, createPreviewService } from "../preview";
import { createPromptRoutes } from "../prompts/routes";
import { createPushRoutes, PushService } from "../push";
import { createScreenRoutes } from "../screen/routes";
import { SessionService } from "../sessions";
import { createSimulatorRoutes } from "../simulator";
import { openStore } from "../store";
import { createTelegramRoutes, sessionsForTelegram, startTelegram } from "../telegram";
import { version } from "../version";
import { createWebRoutes } from "../web";
import { createApp } from "./app";
import { acquireServerLock } from "./lock";
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
  const sessions = new SessionService({
    sql: store.sql,
    hooks,
    resolver: createLaunchResolver(plugins),
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
    autoResume: config.sessions.autoResume,
    canResume: (sessionType) => canResume(plugins, sessionType),
    captureBaseline,
    baseEnv,
  });
  await sessions.init();
  const screens = sessions.liveScreens;
  const telegram = startTelegram({ sql: store.sql, hooks, config, sessions: sessionsForTelegram(sessions, screens) });
  const push = new PushService({ sql: store.sql, sessions });
  push.listen(hooks);
  const preview = createPreviewService(config, sessions, plugins);
  const app = createApp({
    auth,
    sessions,
    allowedOrigins: config.server.allowedOrigins,
    trustedProxies: config.server.trustedProxies,
    rateLimits: {
      mutationsPerMin: config.server.rateLimitMutationsPerMin,
      readsPerMin: config.server.rateLimitReadsPerMin,
    },
    features: [
      createProviderRoutes({ registry: plugins, auth }),
      createScreenRoutes({ screen: (id) => screens.screen(id), auth }),
      createPromptRoutes({ tracker: (id) => screens.tracker(id), auth }),
      createDiffRoutes({ auth, sessions }),
      createTelegramRoutes({ telegram, auth }),
      createPushRoutes({ push, auth }),
      createPgRoutes({ auth, registry: plugins, sessions, sql: store.sql }),
      createForgeRoutes({ auth, registry: plugins, sessions }),
      createSimulatorRoutes({ auth, registry: plugins }),
      createPreviewRoutes({ auth, registry: plugins, preview }),
    ],
    web: createWebRoutes(),
  });
  app.listen({ hostname: config.server.host, port: config.server.port, maxRequestBodySize: 2 * 1024 * 1024 });
  const port = app.server?.port ?? config.server.port;
  const shownHost = config.server.host === "0.0.0.0" || config.server.host === "::" ? "127.0.0.1" : config.server.host;
  const url = `http://${shownHost.includes(":") ? `[${shownHost}]` : shownHost}:${port}`;
  lock.update(url);
  log.info("OpenDray listening", { url, version, db: config.db.mode });
  if (!(await auth.adminConfigured())) {
    process.stdout.write(
      `\nOpenDray is running. Sign in with this one-time link (then set a password in Settings):\n  ${url}/login#code=${auth.issueOneTimeCode()}\n\n`,
    );
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
        await telegram.stop();
        await sessions.shutdown();
        await store.close();
        lock.release();
      })()),
  };
}

export async function serve() {
  const server = await startServer();
  const onSignal = async (signal: string) => {
    log.info("shutting down; sessions keep running in the PTY host", { signal });
    await server.stop();
    process.exit(0);
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
