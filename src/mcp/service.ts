import { randomUUID } from "node:crypto";
import type { Sql } from "postgres";
import { AppError, type FieldIssue, notFound } from "../errors";
import { log } from "../log";
import type { SecretBox } from "../plugins/secret-box";
import {
  appliesToAgent,
  type CreateServerInput,
  type McpServerRow,
  type McpServerView,
  type SecretEntry,
  type TestResult,
  type Transport,
  type UpdateServerInput,
  type UpstreamSpec,
} from "./model";
import { scrubSecrets } from "./scrub";
import { mcpStore, type NewServerRow } from "./store";
import { Upstream } from "./upstream";

export interface McpServiceDeps {
  sql: Sql;
  box: SecretBox;
}

/** The five agents and the transports each accepts natively (measured at the pinned versions). */
export const MCP_AGENTS: { id: string; transports: Transport[] }[] = [
  { id: "claude", transports: ["stdio", "sse", "http"] },
  { id: "codex", transports: ["stdio", "http"] },
  { id: "gemini", transports: ["stdio", "sse", "http"] },
  { id: "qwen-code", transports: ["stdio", "sse", "http"] },
  { id: "opencode", transports: ["stdio", "http"] },
];

const DEFAULT_STARTUP_MS = 20_000;
const DEFAULT_CALL_MS = 60_000;
/** How many names before the current one a running session can still call tools by. */
const FORMER_NAMES = 8;

const nameTaken = (name: string) =>
  new AppError("conflict", `name: another MCP server is named "${name}"`, [
    { path: "name", message: `another MCP server is named "${name}"` },
  ]);

/** The registry of MCP servers: CRUD, Test, and the plain specs the gateway connects with. */
export class McpService {
  readonly store;
  /** Told a server's id when its row changed or went, so shared connections and caches are dropped. */
  onChange?: (id: string) => void;

  constructor(private readonly deps: McpServiceDeps) {
    this.store = mcpStore(deps.sql);
  }

  view(s: McpServerRow): McpServerView {
    return {
      id: s.id,
      name: s.name,
      description: s.description,
      transport: s.transport,
      command: s.command,
      args: s.args,
      envKeys: Object.keys(s.envSealed).sort(),
      url: s.url,
      headerNames: Object.keys(s.headersSealed).sort(),
      appliesTo: s.appliesTo,
      enabledTools: s.enabledTools,
      disabledTools: s.disabledTools,
      startupTimeoutMs: s.startupTimeoutMs,
      callTimeoutMs: s.callTimeoutMs,
      enabled: s.enabled,
      formerNames: s.formerNames,
      lastError: s.lastError,
      lastErrorAt: s.lastErrorAt?.toISOString() ?? null,
      createdAt: s.createdAt.toISOString(),
      updatedAt: s.updatedAt.toISOString(),
    };
  }

  async list(): Promise<McpServerView[]> {
    return (await this.store.servers()).map((s) => this.view(s));
  }

  async row(id: string): Promise<McpServerRow> {
    const s = await this.store.server(id);
    if (!s) throw notFound("MCP server");
    return s;
  }

  private sealAll(map: Record<string, string>) {
    return Object.fromEntries(Object.entries(map).map(([k, val]) => [k, this.deps.box.seal(val)]));
  }

  private openAll(map: Record<string, string>) {
    return Object.fromEntries(Object.entries(map).map(([k, val]) => [k, this.deps.box.open(val) ?? ""]));
  }

  /**
   * An update's env or headers: the whole map, each entry sealed anew or, for `{keep: true}`, the value
   * stored under that name (header names match in any case, as HTTP reads them).
   */
  private merge(
    field: "env" | "headers",
    stored: Record<string, string>,
    given: Record<string, SecretEntry> | undefined,
    issues: FieldIssue[],
  ): Record<string, string> {
    if (!given) return stored;
    const find = (name: string) =>
      stored[name] ??
      (field === "headers"
        ? Object.entries(stored).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1]
        : undefined);
    const out: Record<string, string> = {};
    for (const [name, entry] of Object.entries(given)) {
      if (typeof entry === "string") out[name] = this.deps.box.seal(entry);
      else {
        const kept = find(name);
        if (kept === undefined)
          issues.push({ path: `${field}.${name}`, message: `no stored value to keep; give the value of ${name}` });
        else out[name] = kept;
      }
    }
    return out;
  }

  /** The fields a transport needs, checked after the partial update is applied. */
  private check(r: NewServerRow, issues: FieldIssue[] = []) {
    if (r.transport === "stdio" && !r.command)
      issues.push({ path: "command", message: "a stdio server needs a command" });
    if (r.transport !== "stdio" && !r.url) issues.push({ path: "url", message: `a ${r.transport} server needs a url` });
    if (issues.length) throw new AppError("invalid", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
  }

  async create(input: CreateServerInput): Promise<McpServerView> {
    if (await this.store.byName(input.name)) {
      throw new AppError("invalid", `name: an MCP server named "${input.name}" exists`, [
        { path: "name", message: `an MCP server named "${input.name}" exists` },
      ]);
    }
    const r: NewServerRow = {
      id: randomUUID(),
      name: input.name,
      description: input.description ?? "",
      transport: input.transport,
      command: input.transport === "stdio" ? (input.command ?? null) : null,
      args: input.args ?? [],
      envSealed: this.sealAll(input.env ?? {}),
      url: input.transport === "stdio" ? null : (input.url ?? null),
      headersSealed: this.sealAll(input.headers ?? {}),
      appliesTo: input.appliesTo ?? ["*"],
      enabledTools: input.enabledTools ?? null,
      disabledTools: input.disabledTools ?? [],
      startupTimeoutMs: input.startupTimeoutMs ?? DEFAULT_STARTUP_MS,
      callTimeoutMs: input.callTimeoutMs ?? DEFAULT_CALL_MS,
      enabled: input.enabled ?? true,
    };
    this.check(r);
    await this.store.insert(r);
    return this.view(await this.row(r.id));
  }

  async update(id: string, input: UpdateServerInput): Promise<McpServerView> {
    const s = await this.row(id);
    const transport = input.transport ?? s.transport;
    const issues: FieldIssue[] = [];
    const name = input.name ?? s.name;
    if (name !== s.name && (await this.store.byName(name))) throw nameTaken(name);
    const r: NewServerRow = {
      ...s,
      name,
      description: input.description ?? s.description,
      transport,
      command: transport === "stdio" ? (input.command === undefined ? s.command : input.command) : null,
      args: input.args ?? s.args,
      envSealed: this.merge("env", s.envSealed, input.env, issues),
      url: transport === "stdio" ? null : input.url === undefined ? s.url : input.url,
      headersSealed: this.merge("headers", s.headersSealed, input.headers, issues),
      appliesTo: input.appliesTo ?? s.appliesTo,
      enabledTools: input.enabledTools === undefined ? s.enabledTools : input.enabledTools,
      disabledTools: input.disabledTools ?? s.disabledTools,
      startupTimeoutMs: input.startupTimeoutMs ?? s.startupTimeoutMs,
      callTimeoutMs: input.callTimeoutMs ?? s.callTimeoutMs,
      enabled: input.enabled ?? s.enabled,
    };
    this.check(r, issues);
    // The old name stays routable for the sessions whose agents listed tools under it.
    const formerNames =
      name === s.name ? s.formerNames : [...s.formerNames.filter((n) => n !== name && n !== s.name), s.name];
    if (!(await this.store.update({ ...r, formerNames: formerNames.slice(-FORMER_NAMES) }))) throw nameTaken(name);
    this.onChange?.(id);
    return this.view(await this.row(id));
  }

  async toggle(id: string, enabled: boolean) {
    return this.update(id, { enabled });
  }

  async remove(id: string) {
    await this.row(id);
    await this.store.remove(id);
    this.onChange?.(id);
  }

  spec(s: McpServerRow): UpstreamSpec {
    return {
      id: s.id,
      name: s.name,
      transport: s.transport,
      command: s.command,
      args: s.args,
      env: this.openAll(s.envSealed),
      url: s.url,
      headers: this.openAll(s.headersSealed),
      startupTimeoutMs: s.startupTimeoutMs,
      callTimeoutMs: s.callTimeoutMs,
    };
  }

  /** Keeps a start's outcome with the row (shown after a restart too), never with a secret in it. */
  async noteStart(spec: UpstreamSpec, error: string | null) {
    await this.store
      .setStartError(spec.id, error === null ? null : scrubSecrets(error, spec))
      .catch((e) => log.warn("mcp start error not kept", { server: spec.name, error: e }));
  }

  /** Connects afresh (never the shared connection), runs initialize + tools/list and hangs up. */
  async test(id: string): Promise<TestResult> {
    const spec = this.spec(await this.row(id));
    const up = new Upstream(spec);
    const started = performance.now();
    const ms = () => Math.round(performance.now() - started);
    try {
      await up.connect();
      const tools = (await up.tools()).map((t) => ({ name: t.name, description: t.description ?? "" }));
      await this.noteStart(spec, null);
      return { ok: true, protocolVersion: up.protocolVersion, tools, ms: ms() };
    } catch (error) {
      const message = up.describe(error);
      await this.noteStart(spec, message);
      return { ok: false, protocolVersion: up.protocolVersion, tools: [], ms: ms(), error: message };
    } finally {
      await up.close();
    }
  }

  /** The set a new session gets: the ids asked for, or every enabled server that applies to its agent. */
  async resolve(agent: string, asked: string[] | undefined): Promise<string[]> {
    const all = await this.store.servers();
    if (!asked) return all.filter((s) => s.enabled && appliesToAgent(s, agent)).map((s) => s.id);
    const issues: FieldIssue[] = [];
    asked.forEach((id, i) => {
      if (!all.some((s) => s.id === id))
        issues.push({ path: `mcpServers.${i}`, message: `no MCP server with id ${id}` });
    });
    if (issues.length) throw new AppError("invalid", issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues);
    return [...new Set(asked)];
  }
}
