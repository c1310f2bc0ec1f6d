import * as v from "valibot";

export const TRANSPORTS = ["stdio", "sse", "http"] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** Names an agent would confuse with the gateway's own server or its built-in tools. */
export const RESERVED_NAMES = ["opendray", "builtin", "mcp"] as const;

/** A registry server as stored: env and header values each sealed. */
export interface McpServerRow {
  id: string;
  name: string;
  description: string;
  transport: Transport;
  command: string | null;
  args: string[];
  envSealed: Record<string, string>;
  url: string | null;
  headersSealed: Record<string, string>;
  appliesTo: string[];
  enabledTools: string[] | null;
  disabledTools: string[];
  startupTimeoutMs: number;
  callTimeoutMs: number;
  enabled: boolean;
  /** The names before each rename, newest last: running sessions' agents still call tools by them. */
  formerNames: string[];
  /** The last start failure (secrets scrubbed out) and when; null since the last start that worked. */
  lastError: string | null;
  lastErrorAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** As the API shows it: the names of env variables and headers, never their values. */
export interface McpServerView {
  id: string;
  name: string;
  description: string;
  transport: Transport;
  command: string | null;
  args: string[];
  envKeys: string[];
  url: string | null;
  headerNames: string[];
  appliesTo: string[];
  enabledTools: string[] | null;
  disabledTools: string[];
  startupTimeoutMs: number;
  callTimeoutMs: number;
  enabled: boolean;
  formerNames: string[];
  /** Why the server last failed to start (Test or a session), kept across restarts; null once it starts. */
  lastError: string | null;
  lastErrorAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What an upstream client needs: the plain secrets, opened only in the server process. */
export interface UpstreamSpec {
  id: string;
  name: string;
  transport: Transport;
  command: string | null;
  args: string[];
  env: Record<string, string>;
  url: string | null;
  headers: Record<string, string>;
  startupTimeoutMs: number;
  callTimeoutMs: number;
}

export interface ToolInfo {
  name: string;
  description: string;
}

export interface TestResult {
  ok: boolean;
  protocolVersion: string | null;
  tools: ToolInfo[];
  ms: number;
  error?: string;
}

const envName = v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name"));
const headerName = v.pipe(v.string(), v.regex(/^[A-Za-z0-9-]{1,64}$/, "a header name"));
const url = v.pipe(
  v.string("url must be a URL"),
  v.url("an http(s) URL such as http://127.0.0.1:3001/mcp"),
  v.regex(/^https?:\/\//i, "an http(s) URL"),
  v.maxLength(2000),
);
const toolName = v.pipe(v.string(), v.minLength(1), v.maxLength(128));
const agentPattern = v.pipe(
  v.string(),
  v.regex(/^(\*|[a-z0-9][a-z0-9_-]{0,63})$/, `"*" or an agent id such as claude`),
);

const secretValue = v.pipe(v.string(), v.maxLength(8000));
/** In an update, a secret entry is a new value or `{"keep": true}`: the value stored under that name stays. */
export type SecretEntry = string | { keep: true };
const secretEntry = v.union(
  [secretValue, v.strictObject({ keep: v.literal(true) })],
  'a new value, or {"keep": true} to keep the stored one',
);

const fields = {
  description: v.optional(v.pipe(v.string(), v.maxLength(500))),
  transport: v.picklist(TRANSPORTS, `one of ${TRANSPORTS.join(", ")}`),
  command: v.optional(v.nullable(v.pipe(v.string(), v.minLength(1, "a command"), v.maxLength(1000)))),
  args: v.optional(v.array(v.pipe(v.string(), v.maxLength(4000)))),
  env: v.optional(v.record(envName, secretValue)),
  url: v.optional(v.nullable(url)),
  headers: v.optional(v.record(headerName, secretValue)),
  appliesTo: v.optional(v.pipe(v.array(agentPattern), v.minLength(1, "at least one agent, or *"))),
  enabledTools: v.optional(v.nullable(v.array(toolName))),
  disabledTools: v.optional(v.array(toolName)),
  startupTimeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(300_000))),
  callTimeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1000), v.maxValue(3_600_000))),
  enabled: v.optional(v.boolean("enabled must be true or false")),
};

const name = v.pipe(
  v.string("name is required"),
  v.regex(/^[a-z0-9_-]{1,48}$/, "1–48 lowercase letters, digits, _ or -, such as everything"),
  v.check((n) => !(RESERVED_NAMES as readonly string[]).includes(n), "this name is reserved"),
  v.check((n) => !n.includes("__"), "no double underscore (it separates server and tool)"),
);

export const CreateServerBody = v.strictObject({ name, ...fields });
export type CreateServerInput = v.InferOutput<typeof CreateServerBody>;

/**
 * Partial; a new name follows the creation rule. env/headers, when given, are the whole map: a name left out is
 * removed, and each entry is a new value or `{"keep": true}` for the value already stored under it.
 */
export const UpdateServerBody = v.strictObject({
  name: v.optional(name),
  ...fields,
  transport: v.optional(fields.transport),
  env: v.optional(v.record(envName, secretEntry)),
  headers: v.optional(v.record(headerName, secretEntry)),
});
export type UpdateServerInput = v.InferOutput<typeof UpdateServerBody>;

export const ToggleBody = v.strictObject({ enabled: v.boolean("enabled must be true or false") });
export const ServerIdParams = v.object({ id: v.pipe(v.string(), v.uuid("an MCP server id (UUID)")) });
export const SessionParams = v.object({ id: v.pipe(v.string(), v.uuid("a session id (UUID)")) });

/** An agent's tool name for a registry tool: `<server>__<tool>`. */
export const namespaced = (server: string, tool: string) => `${server}__${tool}`;

/** Whether a server's allow/deny lists let a tool through. */
export function toolAllowed(s: Pick<McpServerRow, "enabledTools" | "disabledTools">, tool: string) {
  if (s.disabledTools.includes(tool)) return false;
  return !s.enabledTools || s.enabledTools.includes(tool);
}

export function appliesToAgent(s: Pick<McpServerRow, "appliesTo">, agent: string) {
  return s.appliesTo.includes("*") || s.appliesTo.includes(agent);
}
