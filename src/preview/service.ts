import { randomBytes } from "node:crypto";
import type { Server } from "bun";
import { AppError, notFound } from "../errors";
import { log } from "../log";
import { checkAccess, PreviewAccess } from "./access";
import { type OutputReader, sessionPorts, treePorts } from "./discovery";
import { hasLocalLink, type PreviewLink, previewLinkText, previewScreenUrl } from "./links";
import type { PortEntry, PreviewInfo, PreviewMode } from "./model";
import { type Guard, PortPolicy } from "./policy";
import { type ClientInfo, CODE_PARAM, type ProxyTarget, proxyHttp } from "./proxy";
import { type ScreenshotOptions, type ScreenshotResult, takeScreenshot } from "./screenshot";
import { type BridgeData, bridgeHandlers, bridgeWebSocket } from "./ws-bridge";

export interface PreviewConfig {
  mode: PreviewMode;
  portRange: [number, number];
  domain?: string;
  allowPorts: [number, number][];
  browser: string;
  /** OpenDray's listen host and port: origin-mode listeners bind to the same host. */
  listenHost: string;
  serverPort: number;
  /** OpenDray's certificate and key files (server.tls_cert, server.tls_key): origin-mode listeners use them too. */
  tls?: { cert: string; key: string };
}

export interface PreviewSession {
  id: string;
  name: string;
  pid: number | null;
  status: string;
}

export interface PreviewSessions extends OutputReader {
  list(): Promise<PreviewSession[]>;
  get(id: string): Promise<PreviewSession>;
}

interface Preview {
  id: string;
  sessionId: string;
  port: number;
  mode: PreviewMode;
  host: string;
  access: PreviewAccess;
  listener?: Server<BridgeData>;
}

/** Where the caller reached OpenDray: the preview URL is built from it. */
export interface Caller {
  host: string;
  proto: "http" | "https";
}

type Upgrader = Pick<Server<BridgeData>, "upgrade" | "requestIP">;

const SWEEP_MS = 15_000;
/** What a request through a preview may carry, in every mode: OpenDray's own listener caps bodies at 32 MB. */
export const PREVIEW_MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Discovery, the open previews, their listeners and the proxying; knows nothing of Elysia. */
export class PreviewService {
  private readonly previews = new Map<string, Preview>();
  private readonly policy: PortPolicy;
  private readonly sweeper: Timer;

  constructor(
    private readonly sessions: PreviewSessions,
    private readonly config: PreviewConfig,
    guard: Guard,
    /** The preview panel is enabled (its listeners answer 404 while it is not). */
    private readonly enabled: () => boolean = () => true,
  ) {
    this.policy = new PortPolicy(config, guard);
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_MS);
    this.sweeper.unref();
  }

  async ports(sessionId: string): Promise<PortEntry[]> {
    return sessionPorts(await this.sessions.get(sessionId), this.sessions);
  }

  /** The original's shape, `[{url, sessionName}]` with localhost made the caller's host, on top of ports(). */
  async discover(callerHost: string) {
    const hostname = callerHost.replace(/:\d+$/, "");
    const out: { url: string; sessionName: string; sessionId: string; port: number }[] = [];
    for (const s of await this.sessions.list()) {
      if (!s.pid) continue;
      for (const p of await sessionPorts(s, this.sessions)) {
        const base = p.url ?? `http://localhost:${p.port}/`;
        const url = base.replace(/^(https?:\/\/)(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1?\])/, `$1${hostname}`);
        out.push({ url, sessionName: s.name, sessionId: s.id, port: p.port });
      }
    }
    return out;
  }

  /**
   * `http://localhost:<port>` links in a session's text (for Telegram) made links to its Preview
   * screen at `base` (OpenDray's address), for the ports its processes listen on.
   */
  async links(sessionId: string, text: string, base: string): Promise<{ text: string; links: PreviewLink[] }> {
    if (!this.enabled() || !hasLocalLink(text)) return { text, links: [] };
    const session = await this.sessions.get(sessionId);
    const owned = new Set(session.pid ? (await treePorts(session.pid)).map((p) => p.port) : []);
    return previewLinkText(text, owned, (port, path) => previewScreenUrl(base, sessionId, port, path));
  }

  list(): Omit<PreviewInfo, "url">[] {
    return [...this.previews.values()].map(({ id, sessionId, port, mode }) => ({ id, sessionId, port, mode }));
  }

  /** Opens (or reuses) a preview of a port the session owns; the URL carries a fresh one-time code. */
  async open(
    input: { sessionId: string; port: number; mode?: PreviewMode; path?: string },
    caller: Caller,
  ): Promise<PreviewInfo> {
    const mode = input.mode ?? this.config.mode;
    if (mode === "domain" && !this.config.domain)
      throw new AppError("invalid", "mode: domain mode needs preview.domain", [
        { path: "mode", message: "domain mode needs preview.domain in the configuration" },
      ]);
    const session = await this.sessions.get(input.sessionId);
    const host = await this.policy.check(session, input.port);
    let preview = [...this.previews.values()].find(
      (p) => p.sessionId === session.id && p.port === input.port && p.mode === mode,
    );
    if (!preview) {
      const id = randomBytes(8).toString("hex").slice(0, 12);
      preview = {
        id,
        sessionId: session.id,
        port: input.port,
        mode,
        host,
        access: new PreviewAccess(id, mode === "path" ? `/preview/${id}/` : "/"),
      };
      if (mode === "origin") preview.listener = this.listen(preview);
      this.previews.set(id, preview);
      log.info("preview opened", { id, session: session.id, port: input.port, mode });
    }
    const url = this.url(preview, caller, input.path);
    return { id: preview.id, sessionId: session.id, port: preview.port, mode, url };
  }

  close(id: string) {
    const p = this.previews.get(id);
    if (!p) throw notFound(`preview ${id}`);
    p.listener?.stop(true);
    this.previews.delete(id);
  }

  /** A URL for `preview` at `path` (`/page?x=1#top`) with a fresh one-time code, as the caller reaches OpenDray. */
  private url(p: Preview, caller: Caller, path = "/"): string {
    const at = new URL(path, "http://x");
    const code = `${CODE_PARAM}=${p.access.issueCode()}`;
    const rest = `${at.pathname}${at.search ? `${at.search}&` : "?"}${code}${at.hash}`;
    if (p.mode === "domain") return `https://${p.id}.${this.config.domain}${rest}`;
    if (p.mode === "path") return `${caller.proto}://${caller.host}/preview/${p.id}${rest}`;
    const hostname = caller.host.replace(/:\d+$/, "");
    const proto = this.config.tls ? "https" : "http";
    return `${proto}://${hostname}:${p.listener?.port}${rest}`;
  }

  private listen(p: Preview): Server<BridgeData> {
    const [first, last] = this.config.portRange;
    const taken = new Set([...this.previews.values()].map((x) => x.listener?.port));
    const tls = this.config.tls;
    for (let port = first; port <= last; port++) {
      if (taken.has(port)) continue;
      try {
        return Bun.serve<BridgeData>({
          hostname: this.config.listenHost,
          port,
          maxRequestBodySize: PREVIEW_MAX_BODY_BYTES,
          ...(tls ? { tls: { cert: Bun.file(tls.cert), key: Bun.file(tls.key) } } : {}),
          fetch: (request, server) => {
            if (!this.enabled()) return new Response("the preview panel is disabled", { status: 404 });
            const url = new URL(request.url);
            return this.forward(request, server, p, url.pathname + url.search, "");
          },
          websocket: bridgeHandlers,
        });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE") throw e;
      }
    }
    throw new AppError("unavailable", `every port in preview.port_range (${first}-${last}) is in use`);
  }

  /** A Host under preview.domain: such names are previews only, never OpenDray's own UI. */
  previewHost(request: Request): boolean {
    const domain = this.config.domain;
    const host = (request.headers.get("host") ?? "").replace(/:\d+$/, "").toLowerCase();
    return !!domain && host.endsWith(`.${domain}`);
  }

  /** The body cap of a path- or domain-mode request on OpenDray's listener (bodies stream through). */
  bodyLimit(request: Request): number | undefined {
    return this.previewHost(request) || this.route(request) ? PREVIEW_MAX_BODY_BYTES : undefined;
  }

  /**
   * Path and domain mode requests on OpenDray's own listener: the preview they name, else null.
   * `/preview/<id>/…` in path mode; `Host: <id>.<preview.domain>` in domain mode.
   */
  route(request: Request): { preview: Preview; pathAndQuery: string; basePath: string } | null {
    const url = new URL(request.url);
    const domain = this.config.domain;
    if (domain) {
      const host = (request.headers.get("host") ?? "").replace(/:\d+$/, "").toLowerCase();
      if (host.endsWith(`.${domain}`)) {
        const p = this.previews.get(host.slice(0, -domain.length - 1));
        if (p?.mode === "domain") return { preview: p, pathAndQuery: url.pathname + url.search, basePath: "" };
      }
    }
    const m = /^\/preview\/([a-z0-9]+)(\/.*)?$/.exec(url.pathname);
    const p = m ? this.previews.get(m[1] ?? "") : undefined;
    if (!m || p?.mode !== "path") return null;
    return { preview: p, pathAndQuery: (m[2] ?? "/") + url.search, basePath: `/preview/${p.id}` };
  }

  /** Access check, then the request (or WebSocket upgrade) forwarded to the dev server. */
  async forward(
    request: Request,
    server: Upgrader,
    p: Preview,
    pathAndQuery: string,
    basePath: string,
  ): Promise<Response | undefined> {
    const hostHeader = request.headers.get("host") ?? "";
    const forwardedProto = request.headers.get("x-forwarded-proto");
    const secure = new URL(request.url).protocol === "https:" || forwardedProto === "https" || p.mode === "domain";
    const proto = secure ? "https" : "http";
    if (basePath && pathAndQuery === "/" && !new URL(request.url).pathname.endsWith("/"))
      return Response.redirect(`${basePath}/${new URL(request.url).search}`, 301);
    const denied = checkAccess(request, p.access, secure);
    if (denied) return denied;
    const target: ProxyTarget = { host: p.host, port: p.port, publicOrigin: `${proto}://${hostHeader}`, basePath };
    const client: ClientInfo = { ip: server.requestIP(request)?.address ?? "", proto, host: hostHeader };
    if (request.headers.get("upgrade")?.toLowerCase() === "websocket")
      return bridgeWebSocket(request, server, target, pathAndQuery, client);
    return proxyHttp(request, target, pathAndQuery, client);
  }

  /**
   * A phone-sized look at the preview in headless Chromium: a PNG, the console errors and the failed
   * requests. The MCP tool `preview_screenshot` (the MCP issue) is meant to call this.
   */
  async screenshot(id: string, opts: ScreenshotOptions): Promise<ScreenshotResult> {
    const p = this.previews.get(id);
    if (!p) throw notFound(`preview ${id}`);
    const local =
      this.config.listenHost === "0.0.0.0" || this.config.listenHost === "::" ? "127.0.0.1" : this.config.listenHost;
    const localHost = local.includes(":") ? `[${local}]` : local;
    const caller: Caller = { host: `${localHost}:${this.config.serverPort}`, proto: "http" };
    let url = this.url(p, caller, opts.path ?? "/");
    let hostRules: string | undefined;
    if (p.mode === "domain") {
      url = url.replace(/^https:\/\/([^/]+)/, `http://$1:${this.config.serverPort}`);
      hostRules = `MAP ${p.id}.${this.config.domain} ${local}`;
    }
    return takeScreenshot(this.config.browser, url, opts, hostRules);
  }

  private async sweep() {
    for (const p of this.previews.values()) {
      const s = await this.sessions.get(p.sessionId).catch(() => null);
      if (!s?.pid) {
        log.info("preview closed: its session ended", { id: p.id, session: p.sessionId });
        this.close(p.id);
      }
    }
  }

  stop() {
    clearInterval(this.sweeper);
    for (const p of this.previews.values()) p.listener?.stop(true);
    this.previews.clear();
  }
}
