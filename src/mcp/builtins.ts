import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import * as v from "valibot";
import type { AskPrompts } from "./asks";

export const BUILTIN_TOOLS = ["notify_user", "ask_user", "session_diff", "preview_screenshot"] as const;
export type BuiltinName = (typeof BUILTIN_TOOLS)[number];

export interface BuiltinDeps {
  asks: AskPrompts;
  /** Web Push and Telegram; resolves with how many devices or chats got it. */
  notify: (sessionId: string, text: string) => Promise<number>;
  /** The session's changes since it started, as text; throws when there is no git baseline. */
  diff: (sessionId: string) => Promise<string>;
  /**
   * A phone-sized screenshot of one of the session's previews (src/preview), or of a port of the
   * session's, opened as a preview first; throws with what went wrong.
   */
  screenshot: (sessionId: string, args: ScreenshotArgs) => Promise<Shot>;
  /** The agent of a session (for the prompt's `agent`). */
  agentOf: (sessionId: string) => Promise<string>;
  /** Built-ins turned off (config `mcp.disabled_builtins`). */
  disabled?: string[];
  askTimeoutMs: number;
}

type Handler = (sessionId: string, args: Record<string, unknown>, signal?: AbortSignal) => Promise<CallToolResult>;

const text = (t: string, isError = false): CallToolResult => ({ content: [{ type: "text", text: t }], isError });

const NotifyArgs = v.object({ text: v.pipe(v.string("text must be a string"), v.minLength(1), v.maxLength(4000)) });
const AskArgs = v.object({
  question: v.pipe(v.string("question must be a string"), v.minLength(1), v.maxLength(2000)),
  options: v.pipe(
    v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(200)), "options must be a list of strings"),
    v.minLength(1, "at least one option"),
    v.maxLength(9, "at most 9 options"),
  ),
  multi: v.optional(v.boolean()),
});

const dimension = v.pipe(v.number("a number of CSS pixels"), v.integer(), v.minValue(100), v.maxValue(3840));
const ScreenshotArgs = v.pipe(
  v.object({
    preview: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9]{6,32}$/, "a preview id"))),
    port: v.optional(v.pipe(v.number("a TCP port"), v.integer(), v.minValue(1), v.maxValue(65535))),
    width: v.optional(dimension),
    height: v.optional(dimension),
    fullPage: v.optional(v.boolean()),
    path: v.optional(v.pipe(v.string(), v.regex(/^\/\S*$/, "a path starting with /"), v.maxLength(2000))),
  }),
  v.check((a) => (a.preview === undefined) !== (a.port === undefined), "give either preview (an id) or port"),
);
export type ScreenshotArgs = v.InferOutput<typeof ScreenshotArgs>;
export interface Shot {
  png: Uint8Array;
  width: number;
  height: number;
  consoleErrors: string[];
  failedRequests: { url: string; status?: number; error?: string }[];
}

const problems = (issues: v.BaseIssue<unknown>[]) =>
  issues.map((i) => `${v.getDotPath(i) ?? "arguments"}: ${i.message}`).join("; ");

const DEFINITIONS: Record<BuiltinName, Tool> = {
  notify_user: {
    name: "notify_user",
    description: "Send a short message to the person supervising this session (phone notification and Telegram).",
    inputSchema: {
      type: "object",
      properties: { text: { type: "string", description: "The message" } },
      required: ["text"],
    },
  },
  ask_user: {
    name: "ask_user",
    description:
      "Ask the person supervising this session a question and wait for their choice. Returns the chosen option label(s), or 'no answer' after a timeout.",
    inputSchema: {
      type: "object",
      properties: {
        question: { type: "string", description: "The question, such as 'Deploy to staging or prod?'" },
        options: { type: "array", items: { type: "string" }, description: "The choices (1–9)" },
        multi: { type: "boolean", description: "Allow choosing several options" },
      },
      required: ["question", "options"],
    },
  },
  preview_screenshot: {
    name: "preview_screenshot",
    description:
      "Take a screenshot of a web app this session serves (a dev server's port, or an open preview's id) in headless Chromium at a phone-sized viewport. Returns the PNG and the page's console errors and failed requests.",
    inputSchema: {
      type: "object",
      properties: {
        port: { type: "number", description: "The local port the dev server listens on, such as 5173" },
        preview: { type: "string", description: "An open preview's id (instead of port)" },
        width: { type: "number", description: "Viewport width in CSS pixels (default 390)" },
        height: { type: "number", description: "Viewport height in CSS pixels (default 844)" },
        fullPage: { type: "boolean", description: "The whole page, not only the viewport" },
        path: { type: "string", description: "The path to load, such as /settings (default /)" },
      },
    },
  },
  session_diff: {
    name: "session_diff",
    description: "Summarise the files this session changed since it started (git), with added/removed line counts.",
    inputSchema: { type: "object", properties: {} },
  },
};

/** The gateway's own tools, beside the registry servers'. */
export class Builtins {
  private readonly handlers: Record<BuiltinName, Handler>;

  constructor(private readonly deps: BuiltinDeps) {
    this.handlers = {
      notify_user: async (sessionId, args) => {
        const parsed = v.safeParse(NotifyArgs, args);
        if (!parsed.success) return text(problems(parsed.issues), true);
        const reached = await deps.notify(sessionId, parsed.output.text);
        return text(reached ? "sent" : "sent (no phone or chat is subscribed right now)");
      },
      ask_user: async (sessionId, args, signal) => {
        const parsed = v.safeParse(AskArgs, args);
        if (!parsed.success) return text(problems(parsed.issues), true);
        const { keys, prompt } = await deps.asks.ask(
          sessionId,
          await deps.agentOf(sessionId),
          { question: parsed.output.question, options: parsed.output.options, multi: !!parsed.output.multi },
          deps.askTimeoutMs,
          signal,
        );
        if (!keys) return text("no answer");
        const chosen = keys.map((k) => prompt.options.find((o) => o.key === k)?.label ?? k);
        return { content: [{ type: "text", text: chosen.join(", ") }], structuredContent: { chosen, keys } };
      },
      preview_screenshot: async (sessionId, args) => {
        const parsed = v.safeParse(ScreenshotArgs, args);
        if (!parsed.success) return text(problems(parsed.issues), true);
        try {
          const shot = await deps.screenshot(sessionId, parsed.output);
          const report = { consoleErrors: shot.consoleErrors, failedRequests: shot.failedRequests };
          return {
            content: [
              { type: "image", data: Buffer.from(shot.png).toString("base64"), mimeType: "image/png" },
              {
                type: "text",
                text: `${shot.width}x${shot.height}; console errors: ${shot.consoleErrors.length ? shot.consoleErrors.join("\n") : "none"}; failed requests: ${shot.failedRequests.length ? shot.failedRequests.map((r) => `${r.url} ${r.status ?? r.error ?? ""}`).join(", ") : "none"}`,
              },
            ],
            structuredContent: report,
          };
        } catch (error) {
          return text(error instanceof Error ? error.message : String(error), true);
        }
      },
      session_diff: async (sessionId) => {
        try {
          return text(await deps.diff(sessionId));
        } catch (error) {
          return text(error instanceof Error ? error.message : String(error), true);
        }
      },
    };
  }

  private on(name: BuiltinName) {
    return !(this.deps.disabled ?? []).includes(name);
  }

  tools(): Tool[] {
    return BUILTIN_TOOLS.filter((n) => this.on(n)).map((n) => DEFINITIONS[n]);
  }

  get(name: string): Handler | undefined {
    return (BUILTIN_TOOLS as readonly string[]).includes(name) && this.on(name as BuiltinName)
      ? this.handlers[name as BuiltinName]
      : undefined;
  }
}
