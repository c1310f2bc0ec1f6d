import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import { log } from "../log";
import { version } from "../version";
import type { UpstreamSpec } from "./model";
import { scrubSecrets } from "./scrub";

const STDERR_KEEP = 2000;

/** A failed start, already told with the server's stderr and without its secrets. */
class StartError extends Error {}

/** One connection to a registry server, over whichever transport it speaks. */
export class Upstream {
  readonly client = new Client({ name: "opendray", version });
  protocolVersion: string | null = null;
  private stderr = "";
  private closed = false;
  onClose?: () => void;

  constructor(readonly spec: UpstreamSpec) {}

  private transport(): Transport {
    const s = this.spec;
    if (s.transport === "stdio") {
      const t = new StdioClientTransport({
        command: s.command ?? "",
        args: s.args,
        // Only the SDK's safe defaults (PATH, HOME…) and the server's own env, never the OpenDray server's.
        env: { ...getDefaultEnvironment(), ...s.env },
        stderr: "pipe",
      });
      t.stderr?.on("data", (chunk: Buffer) => {
        this.stderr = (this.stderr + chunk.toString()).slice(-STDERR_KEEP);
      });
      return t;
    }
    const url = new URL(s.url ?? "");
    const requestInit = { headers: s.headers };
    if (s.transport === "sse") {
      return new SSEClientTransport(url, {
        requestInit,
        eventSourceInit: {
          fetch: (u, init) => fetch(u, { ...init, headers: { ...(init?.headers as object), ...s.headers } }),
        },
      });
    }
    return new StreamableHTTPClientTransport(url, { requestInit });
  }

  async connect() {
    const t = this.transport();
    // The negotiated version is only told to transports that want it; catch it for every one.
    const set = (t as { setProtocolVersion?: (v: string) => void }).setProtocolVersion?.bind(t);
    (t as { setProtocolVersion?: (v: string) => void }).setProtocolVersion = (v) => {
      this.protocolVersion = v;
      set?.(v);
    };
    t.onclose = undefined;
    this.client.onclose = () => {
      this.closed = true;
      this.onClose?.();
    };
    try {
      await this.client.connect(t, { timeout: this.spec.startupTimeoutMs });
    } catch (error) {
      await this.close();
      throw new StartError(this.describe(error));
    }
  }

  get alive() {
    return !this.closed;
  }

  /** The error with what the server wrote to stderr, which usually says why it failed; its secrets hidden. */
  describe(error: unknown) {
    if (error instanceof StartError) return error.message;
    const message = error instanceof Error ? error.message : String(error);
    const tail = this.stderr.trim().split("\n").slice(-5).join("\n");
    return scrubSecrets(tail ? `${message}\n${tail}` : message, this.spec);
  }

  async tools(): Promise<Tool[]> {
    const out: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.client.listTools(cursor ? { cursor } : {}, { timeout: this.spec.startupTimeoutMs });
      out.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  async call(name: string, args: Record<string, unknown> | undefined): Promise<CallToolResult> {
    return (await this.client.callTool({ name, arguments: args }, undefined, {
      timeout: this.spec.callTimeoutMs,
      resetTimeoutOnProgress: true,
    })) as CallToolResult;
  }

  async close() {
    this.closed = true;
    await this.client.close().catch((error) => log.debug("mcp upstream close", { server: this.spec.name, error }));
  }
}

interface Pooled {
  key: string;
  ready: Promise<Upstream>;
  tools?: Promise<Tool[]>;
  busy: number;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Upstream connections shared by every session: started on first use, closed after `idleMs` without
 * a call, restarted on the next use after a crash or a change to the server's row.
 */
export class UpstreamPool {
  private readonly pool = new Map<string, Pooled>();

  /** `onStart` hears each start's outcome: null when it connected, else why not. */
  constructor(
    private readonly idleMs: number,
    private readonly onStart?: (spec: UpstreamSpec, error: string | null) => void,
  ) {}

  private entry(spec: UpstreamSpec, key: string): Pooled {
    const have = this.pool.get(spec.id);
    if (have && have.key === key) return have;
    if (have) this.drop(spec.id);
    const up = new Upstream(spec);
    const e: Pooled = { key, busy: 0, ready: up.connect().then(() => up) };
    up.onClose = () => {
      if (this.pool.get(spec.id) === e) this.pool.delete(spec.id);
    };
    e.ready.then(
      () => this.onStart?.(spec, null),
      (error) => {
        if (this.pool.get(spec.id) === e) this.pool.delete(spec.id);
        this.onStart?.(spec, up.describe(error));
      },
    );
    this.pool.set(spec.id, e);
    return e;
  }

  /** Runs `fn` on the server's shared connection. `key` changes when the row does. */
  async use<T>(spec: UpstreamSpec, key: string, fn: (up: Upstream, e: { tools(): Promise<Tool[]> }) => Promise<T>) {
    const e = this.entry(spec, key);
    e.busy++;
    clearTimeout(e.timer);
    try {
      const up = await e.ready;
      return await fn(up, {
        tools: () => {
          e.tools ??= up.tools();
          e.tools.catch(() => (e.tools = undefined));
          return e.tools;
        },
      });
    } finally {
      e.busy--;
      if (e.busy === 0 && this.pool.get(spec.id) === e) e.timer = setTimeout(() => this.drop(spec.id), this.idleMs);
    }
  }

  running(id: string) {
    return this.pool.has(id);
  }

  drop(id: string) {
    const e = this.pool.get(id);
    if (!e) return;
    this.pool.delete(id);
    clearTimeout(e.timer);
    e.ready.then((up) => up.close()).catch(() => {});
  }

  closeAll() {
    for (const id of [...this.pool.keys()]) this.drop(id);
  }
}
