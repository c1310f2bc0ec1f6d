import { createResource, createSignal, For, Show } from "solid-js";
import { McpServerCard } from "../components/McpServerCard";
import { McpServerForm } from "../components/McpServerForm";
import { TopBar } from "../components/TopBar";
import { t } from "../i18n";
import { errorText } from "../lib/api";
import { type McpServer, mcpApi } from "../lib/mcp-api";
import "./forms.css";
import "./mcp.css";

/** Settings → MCP servers: the registry every agent session reaches through the opendray gateway. */
export function McpServers() {
  const [servers, { mutate }] = createResource(() => mcpApi.list());
  const [adding, setAdding] = createSignal(false);
  const replace = (s: McpServer) => mutate((list) => (list ?? []).map((x) => (x.id === s.id ? s : x)));
  // Cards keyed by id, so a card keeps its Test result while its server's fields change.
  // A resource that failed throws when read: the page shows its error instead.
  const list = () => (servers.error ? [] : (servers() ?? []));
  const ids = () => list().map((s) => s.id);
  const byId = (id: string) => list().find((s) => s.id === id);

  return (
    <main class="page settings">
      <TopBar title={t("MCP servers")} back="/settings" />
      <p class="hint page-intro">
        {/* the names are code, wherever the language puts them */}
        <For
          each={t("Tools every agent session gets through one server, {server}, named {pattern}.").split(/(\{\w+\})/)}
        >
          {(part) =>
            part === "{server}" ? <code>opendray</code> : part === "{pattern}" ? <code>server__tool</code> : part
          }
        </For>
      </p>
      <Show when={servers.error}>
        <p class="error" role="alert">
          {errorText(servers.error)}
        </p>
      </Show>
      <For
        each={ids()}
        fallback={
          <Show when={!servers.error}>
            <p class="hint page-intro">{servers.loading ? t("Loading…") : t("No MCP servers yet.")}</p>
          </Show>
        }
      >
        {(id) => (
          <Show when={byId(id)}>
            {(s) => (
              <McpServerCard
                server={s()}
                onChanged={replace}
                onDeleted={(gone) => mutate((list) => (list ?? []).filter((x) => x.id !== gone))}
              />
            )}
          </Show>
        )}
      </For>
      <section class="card">
        <Show
          when={adding()}
          fallback={
            <button type="button" class="primary" onClick={() => setAdding(true)}>
              {t("Add a server")}
            </button>
          }
        >
          <h2>{t("Add a server")}</h2>
          <McpServerForm
            onCancel={() => setAdding(false)}
            onSaved={(s) => {
              mutate((list) => [...(list ?? []), s]);
              setAdding(false);
            }}
          />
        </Show>
      </section>
    </main>
  );
}
