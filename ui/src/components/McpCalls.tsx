import { createResource, For, Show } from "solid-js";
import { locale, t } from "../i18n";
import { errorText } from "../lib/api";
import { type McpCall, mcpApi } from "../lib/mcp-api";
import { splitTool } from "../lib/mcp-tools";
import "../pages/mcp.css";

const pretty = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v, null, 2));

/** A tool result's text parts as the agent read them; anything else as JSON. */
function resultText(result: unknown): string {
  const content = (result as { content?: unknown } | null)?.content;
  if (Array.isArray(content) && content.length) {
    return content
      .map((c: { type?: string; text?: string }) =>
        c?.type === "text" && typeof c.text === "string" ? c.text : pretty(c),
      )
      .join("\n");
  }
  return result === null || result === undefined ? "" : pretty(result);
}

const time = (iso: string) =>
  new Date(iso).toLocaleTimeString(locale(), { hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** The session's MCP tool calls, newest first: server, tool, arguments, result or error, duration, time. */
export function McpCalls(props: { sessionId: string }) {
  const [log, { refetch }] = createResource(() => mcpApi.calls(props.sessionId));
  const failed = () => Object.entries(log()?.errors ?? {});
  const [registry] = createResource(() => mcpApi.list().catch(() => []));
  const servers = () =>
    (log()?.servers ?? []).map((id) => registry()?.find((s) => s.id === id)?.name ?? t("a deleted server"));

  return (
    <div class="mcp-log" data-testid="mcp-calls">
      <div class="row spread">
        <p class="hint">
          {log.loading
            ? t("Loading…")
            : log()?.connectedAt
              ? t("The agent listed the tools at {time}.", { time: time(log()?.connectedAt ?? "") })
              : log()?.calls.length
                ? ""
                : t("The agent has not asked for its tools yet.")}
        </p>
        <button type="button" class="chip" onClick={() => void refetch()}>
          {t("Refresh")}
        </button>
      </div>
      <Show when={log()}>
        <p class="hint" data-testid="session-servers">
          {servers().length
            ? t("Servers: {names}", { names: servers().join(", ") })
            : t("No registry servers: only OpenDray's own tools.")}
        </p>
      </Show>
      <Show when={log.error}>
        <p class="error" role="alert">
          {errorText(log.error)}
        </p>
      </Show>
      <For each={failed()}>
        {([server, message]) => (
          <p class="error" role="alert" data-failed-server={server}>
            {t("{server} did not start: {message}", { server, message })}
          </p>
        )}
      </For>
      <Show when={log()}>
        {(l) => (
          <ul class="mcp-calls">
            <For each={l().calls} fallback={<li class="hint">{t("No tool calls yet.")}</li>}>
              {(c) => <CallItem call={c} />}
            </For>
          </ul>
        )}
      </Show>
    </div>
  );
}

function CallItem(props: { call: McpCall }) {
  const name = () => splitTool(props.call.tool);
  const result = () => resultText(props.call.result);
  return (
    <li>
      <details class="mcp-call" classList={{ failed: props.call.isError }} data-tool={props.call.tool}>
        <summary class="mcp-call-head">
          <span class="mcp-call-tool">
            <span class="mcp-call-server">{name().server} · </span>
            {name().tool}
          </span>
          <span class="mcp-call-meta">
            {t("{n} ms", { n: props.call.ms })} ·{" "}
            <time dateTime={props.call.createdAt}>{time(props.call.createdAt)}</time>
          </span>
          <span class="mcp-call-brief">
            {props.call.isError ? t("Error: ") : "→ "}
            {result().split("\n")[0] || t("(empty)")}
          </span>
        </summary>
        <div class="mcp-call-body">
          <h3>{t("Arguments")}</h3>
          <pre data-testid="call-arguments">{pretty(props.call.arguments ?? {})}</pre>
          <h3>{props.call.isError ? t("Error") : t("Result")}</h3>
          <pre classList={{ "error-text": props.call.isError }} data-testid="call-result">
            {result() || t("(empty)")}
          </pre>
        </div>
      </details>
    </li>
  );
}
