import { createEffect, createResource, createSignal, For, on, Show } from "solid-js";
import { t } from "../i18n";
import { request } from "../lib/api";
import { type McpServer, mcpApi } from "../lib/mcp-api";
import { appliesToAgent } from "../lib/mcp-tools";
import "../pages/mcp.css";

/** What the launcher adds to POST /api/sessions; empty while the defaults stand. */
export interface McpChoice {
  mcpServers?: string[];
  mcpStrict?: boolean;
}

/** The agents whose manifest has an `mcp` block, and whether it offers a strict mode. */
async function mcpAgents(): Promise<Record<string, { strict: boolean }>> {
  const list = await request<{ name: string; provider: { mcp?: { strictArgs?: string[] } } }[]>(
    "GET",
    "/api/providers?kind=agent",
  ).catch(() => []);
  return Object.fromEntries(
    list.filter((e) => e.provider.mcp).map((e) => [e.name, { strict: !!e.provider.mcp?.strictArgs?.length }]),
  );
}

/**
 * The launcher's MCP servers for one agent, collapsed: the enabled servers that apply to it are
 * picked by default. Sends nothing while the user keeps the default (the server resolves the
 * same set), else the chosen ids; strict (only OpenDray's server) where the agent has it.
 */
export function McpPicker(props: { agent: string; onChange: (choice: McpChoice) => void }) {
  const [servers] = createResource(() => mcpApi.list().catch(() => [] as McpServer[]));
  const [agents] = createResource(mcpAgents);
  const [picked, setPicked] = createSignal<string[] | null>(null);
  const [strict, setStrict] = createSignal(false);
  const defaults = () => (servers() ?? []).filter((s) => s.enabled && appliesToAgent(s, props.agent)).map((s) => s.id);
  const chosen = () => picked() ?? defaults();
  const emit = () => {
    const ids = picked();
    props.onChange({ ...(ids ? { mcpServers: ids } : {}), ...(strict() ? { mcpStrict: true } : {}) });
  };
  // Another agent has other defaults: a choice made for the previous one is dropped.
  createEffect(
    on(
      () => props.agent,
      () => {
        setPicked(null);
        setStrict(false);
        emit();
      },
      { defer: true },
    ),
  );
  const toggle = (id: string, on: boolean) => {
    setPicked(on ? [...new Set([...chosen(), id])] : chosen().filter((x) => x !== id));
    emit();
  };
  const summary = () => {
    const names = (servers() ?? []).filter((s) => chosen().includes(s.id)).map((s) => s.name);
    return names.length ? names.join(", ") : t("none");
  };

  return (
    <Show when={agents()?.[props.agent] && (servers() ?? []).length > 0}>
      <details class="mcp-picker" data-testid="mcp-picker">
        <summary class="mcp-picker-head">
          <span>{t("MCP servers")}</span>
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
                    <span class="hint">{t(" · off in Settings")}</span>
                  </Show>
                  <Show when={s.enabled && !appliesToAgent(s, props.agent)}>
                    <span class="hint">{t(" · not for this agent by default")}</span>
                  </Show>
                </span>
              </label>
            )}
          </For>
          <Show when={agents()?.[props.agent]?.strict}>
            <label class="toggle">
              <input
                type="checkbox"
                name="mcpStrict"
                checked={strict()}
                onChange={(e) => {
                  setStrict(e.currentTarget.checked);
                  emit();
                }}
              />
              <span>
                {t("Only these")}
                <span class="hint">{t(" · ignore the agent's own MCP settings")}</span>
              </span>
            </label>
          </Show>
        </div>
      </details>
    </Show>
  );
}
