import { createEffect, createResource, createSignal, For, on, Show } from "solid-js";
import { type McpServer, mcpApi } from "../lib/mcp-api";
import { appliesToAgent } from "../lib/mcp-tools";
import "../pages/mcp.css";

/**
 * The launcher's MCP servers for one agent, collapsed: the enabled servers that apply to it are
 * picked by default. Reports null while the user has not changed the default (the server then
 * resolves the same set), else the chosen ids.
 */
export function McpPicker(props: { agent: string; onChange: (ids: string[] | null) => void }) {
  const [servers] = createResource(() => mcpApi.list().catch(() => [] as McpServer[]));
  const [picked, setPicked] = createSignal<string[] | null>(null);
  const defaults = () => (servers() ?? []).filter((s) => s.enabled && appliesToAgent(s, props.agent)).map((s) => s.id);
  const chosen = () => picked() ?? defaults();
  // Another agent has other defaults: a choice made for the previous one is dropped.
  createEffect(
    on(
      () => props.agent,
      () => {
        setPicked(null);
        props.onChange(null);
      },
      { defer: true },
    ),
  );
  const toggle = (id: string, on: boolean) => {
    const next = on ? [...new Set([...chosen(), id])] : chosen().filter((x) => x !== id);
    setPicked(next);
    props.onChange(next);
  };
  const summary = () => {
    const names = (servers() ?? []).filter((s) => chosen().includes(s.id)).map((s) => s.name);
    return names.length ? names.join(", ") : "none";
  };

  return (
    <Show when={props.agent !== "terminal" && (servers() ?? []).length > 0}>
      <details class="mcp-picker" data-testid="mcp-picker">
        <summary class="mcp-picker-head">
          <span>MCP servers</span>
          <span class="hint">{summary()}</span>
        </summary>
        <div class="mcp-picker-list">
          <For each={servers() ?? []}>
            {(s) => (
              <label class="toggle" data-server={s.name}>
                <input
                  type="checkbox"
                  checked={chosen().includes(s.id)}
                  onChange={(e) => toggle(s.id, e.currentTarget.checked)}
                />
                <span>
                  {s.name}
                  <Show when={!s.enabled}>
                    <span class="hint"> · off in Settings</span>
                  </Show>
                  <Show when={s.enabled && !appliesToAgent(s, props.agent)}>
                    <span class="hint"> · not for this agent by default</span>
                  </Show>
                </span>
              </label>
            )}
          </For>
        </div>
      </details>
    </Show>
  );
}
