import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { type Config, isLoopbackHost } from "../../config";
import { isAlive } from "../../pty/protocol";
import { postmasterPid } from "../../store";

export type Status = "OK" | "WARN" | "FAIL";
export interface Check {
  status: Status;
  name: string;
  detail: string;
  fix?: string;
}

const SERVICE_FILES = ["/etc/systemd/system/opendray.service", "/Library/LaunchDaemons/com.opendray.opendray.plist"];

export function configFileCheck(config: Config): Check {
  const path = config.configPath;
  if (!existsSync(path))
    return {
      status: "WARN",
      name: "config",
      detail: `no ${path}; defaults and environment only`,
      fix: "opendray setup",
    };
  const mode = statSync(path).mode & 0o777;
  const fromEnv = Object.entries(config.sources)
    .filter(([, s]) => s === "env")
    .map(([k]) => k);
  const detail = `${path}${fromEnv.length ? ` (from the environment: ${fromEnv.join(", ")})` : ""}`;
  if (mode & 0o077)
    return {
      status: "WARN",
      name: "config",
      detail: `${detail} is readable by others (mode ${mode.toString(8)}) and holds secrets`,
      fix: `chmod 600 ${path}`,
    };
  return { status: "OK", name: "config", detail };
}

export function listenCheck(config: Config): Check {
  const { listenAddr, host } = config.server;
  if (isLoopbackHost(host)) return { status: "OK", name: "listen", detail: `${listenAddr} (this machine only)` };
  if (config.inContainer && (host === "0.0.0.0" || host === "::")) {
    return {
      status: "OK",
      name: "listen",
      detail: `${listenAddr} inside the container; reachable where the engine publishes it (scripts/opendray-docker: 127.0.0.1 unless OPENDRAY_BIND says otherwise)`,
    };
  }
  if (config.server.tls)
    return { status: "OK", name: "listen", detail: `${listenAddr} over HTTPS (${config.server.tls.cert})` };
  return {
    status: "WARN",
    name: "listen",
    detail: `${listenAddr} is reachable from the network, and the terminal API can run anything as this user`,
    fix: "set server.tls_cert and server.tls_key, serve it through a TLS reverse proxy, or listen on loopback: opendray setup --listen loopback",
  };
}

export function authCheck(config: Config): Check {
  const source = config.sources["auth.jwt_secret"];
  if (source === "generated") {
    return {
      status: "WARN",
      name: "auth",
      detail: "no JWT secret saved yet; the server generates and saves one on start",
      fix: "opendray setup (to choose it now)",
    };
  }
  if (config.auth.adminPassword && config.sources["auth.admin_password"] === "file") {
    return {
      status: "WARN",
      name: "auth",
      detail: "the admin password is stored in plain text in config.toml",
      fix: "remove auth.admin_password from the config and run opendray setup",
    };
  }
  return {
    status: "OK",
    name: "auth",
    detail: `JWT secret from ${source === "env" ? "JWT_SECRET" : "config.toml"} (${config.auth.jwtSecret.length} characters)`,
  };
}

export async function databaseCheck(config: Config): Promise<Check> {
  if (config.db.mode === "external") {
    const ext = config.db.external;
    const target = `${ext.user}@${ext.host}:${ext.port}/${ext.name}`;
    try {
      const { testConnection } = await import("../../store");
      const { version } = await testConnection(ext, 3000);
      return { status: "OK", name: "database", detail: `external ${target}, PostgreSQL ${version}` };
    } catch (e) {
      return {
        status: "FAIL",
        name: "database",
        detail: `cannot connect to ${target}: ${(e as Error).message}`,
        fix: "check [db.external] in config.toml or the DB_* variables, or run opendray setup",
      };
    }
  }
  const data = config.paths.pgData;
  const pgVersion = join(data, "PG_VERSION");
  if (!existsSync(pgVersion))
    return {
      status: "WARN",
      name: "database",
      detail: `bundled, not initialised yet (${data})`,
      fix: "opendray setup (or start the server, which creates it)",
    };
  const running = postmasterPid(data) !== undefined;
  return {
    status: "OK",
    name: "database",
    detail: `bundled PostgreSQL ${readFileSync(pgVersion, "utf8").trim()} in ${data}, ${running ? "running" : "stopped (the server starts it)"}`,
  };
}

export async function ptyHostCheck(config: Config): Promise<Check> {
  const socket = config.paths.ptydSocket;
  if (!existsSync(socket)) return { status: "OK", name: "pty host", detail: "not running (the server starts it)" };
  if (await isAlive(socket))
    return { status: "OK", name: "pty host", detail: `running (${socket}); sessions survive server restarts` };
  return {
    status: "WARN",
    name: "pty host",
    detail: `stale socket ${socket}: the PTY host died, and its sessions with it`,
    fix: "restart the server; it replaces the socket",
  };
}

export async function serverCheck(config: Config): Promise<Check> {
  const host = config.server.host === "0.0.0.0" || config.server.host === "::" ? "127.0.0.1" : config.server.host;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${config.server.port}`;
  try {
    const r = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1500) });
    if (r.ok) return { status: "OK", name: "server", detail: `answering at ${url}` };
    return {
      status: "WARN",
      name: "server",
      detail: `${url}/api/health answered ${r.status}`,
      fix: "look at the server log (opendray service logs)",
    };
  } catch {
    const service = SERVICE_FILES.find(existsSync);
    return {
      status: "WARN",
      name: "server",
      detail: `not answering at ${url}`,
      fix: service ? "sudo opendray service start" : "start it with: opendray (or sudo opendray service install)",
    };
  }
}

/** Agents come from the plugin manifests (builtins and plugin directories), as in the server. */
export async function agentsCheck(config: Config): Promise<Check[]> {
  const { createPluginRegistry } = await import("../../plugins");
  // rescan and detection only: start() would create directories and watchers.
  const registry = createPluginRegistry({ config, watch: false });
  registry.rescan();
  await registry.refreshInstalled();
  const agents = registry.list().filter((e) => e.manifest.kind === "agent");
  const found = agents.filter((e) => e.installed).map((e) => e.manifest.name);
  const missing = agents.filter((e) => !e.installed).map((e) => e.manifest.name);
  const checks: Check[] = [
    found.length
      ? {
          status: "OK",
          name: "agents",
          detail: `installed: ${found.join(", ")}${missing.length ? `; not found: ${missing.join(", ")}` : ""}`,
        }
      : {
          status: "WARN",
          name: "agents",
          detail: `none of ${missing.join(", ")} is installed`,
          fix: "install one, for example: npm install -g @anthropic-ai/claude-code",
        },
  ];
  const errors = registry.errors();
  if (errors.length) {
    checks.push({
      status: "WARN",
      name: "plugins",
      detail: `${errors.length} invalid manifest(s), skipped: ${errors.map((e) => e.file ?? "?").join(", ")}`,
      fix: "opendray plugin validate <dir>",
    });
  }
  return checks;
}

export async function telegramCheck(config: Config): Promise<Check> {
  const { botToken, apiRoot, allowedChatIds } = config.telegram;
  if (!botToken) return { status: "OK", name: "telegram", detail: "not configured (optional)" };
  if (!/^\d+:[\w-]{20,}$/.test(botToken))
    return {
      status: "FAIL",
      name: "telegram",
      detail: "the bot token does not look like <digits>:<secret>",
      fix: "copy the token from @BotFather into telegram.bot_token",
    };
  try {
    const r = await fetch(`${apiRoot ?? "https://api.telegram.org"}/bot${botToken}/getMe`, {
      signal: AbortSignal.timeout(5000),
    });
    const body = (await r.json()) as { ok?: boolean; result?: { username?: string }; description?: string };
    if (!body.ok)
      return {
        status: "FAIL",
        name: "telegram",
        detail: `Telegram refused the token: ${body.description ?? r.status}`,
        fix: "check telegram.bot_token with @BotFather",
      };
    if (!allowedChatIds.length)
      return {
        status: "WARN",
        name: "telegram",
        detail: `bot @${body.result?.username} works, but any chat may talk to it`,
        fix: "set telegram.allowed_chat_ids (send /whoami to the bot to learn yours)",
      };
    return {
      status: "OK",
      name: "telegram",
      detail: `bot @${body.result?.username}, ${allowedChatIds.length} allowed chat(s)`,
    };
  } catch (e) {
    return {
      status: "WARN",
      name: "telegram",
      detail: `could not reach Telegram: ${(e as Error).message}`,
      fix: "check the network or telegram.api_root",
    };
  }
}

export function serviceCheck(): Check {
  const service = SERVICE_FILES.find(existsSync);
  return service
    ? { status: "OK", name: "service", detail: `installed (${service})` }
    : { status: "OK", name: "service", detail: "not installed (optional: sudo opendray service install)" };
}
