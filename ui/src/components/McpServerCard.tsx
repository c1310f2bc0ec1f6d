import { createSignal, For, Show } from "solid-js";
import { dateTime, plural, t } from "../i18n";
import { errorText } from "../lib/api";
import { type McpServer, type McpTestResult, mcpApi } from "../lib/mcp-api";
import { toolAllowed, withTool } from "../lib/mcp-tools";
import { McpServerForm } from "./McpServerForm";

/** One registry server: on/off, Test with its tools and their allow toggles, edit, delete. */
export function McpServerCard(props: {
  server: McpServer;
  onChanged: (s: McpServer) => void;
  onDeleted: (id: string) => void;
}) {
  const s = () => props.server;
  const [editing, setEditing] = createSignal(false);
  const [test, setTest] = createSignal<McpTestResult | null>(null);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [error, setError] = createSignal<string | null>(null);

  const act = async (what: string, fn: () => Promise<void>) => {
    setBusy(what);
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };
  const runTest = () =>
    act("test", async () => {
      setTest(await mcpApi.test(s().id));
      // Test keeps its failure with the server (or clears it): the card shows what a reload would.
      props.onChanged(await mcpApi.get(s().id));
    });
  const saveLists = (lists: Pick<McpServer, "enabledTools" | "disabledTools">) =>
    act("tools", async () => props.onChanged(await mcpApi.update(s().id, lists)));
  const where = () => (s().transport === "stdio" ? [s().command, ...s().args].join(" ") : (s().url ?? ""));
  const agents = () => (s().appliesTo.includes("*") ? t("all agents") : s().appliesTo.join(", ") || t("no agent"));
  const blocked = () => [...s().disabledTools].sort();
  const setNames = (names: string[]) => names.map((name) => t("{name} set", { name })).join(", ");

  return (
    <section class="card mcp-server" data-server={s().name}>
      <div class="row spread">
        <h2>
          {s().name} <span class="hint">{s().transport}</span>
        </h2>
        <label class="toggle switch">
          <input
            type="checkbox"
            aria-label={t("{name} enabled", { name: s().name })}
            checked={s().enabled}
            disabled={busy() === "toggle"}
            onChange={(e) => {
              const on = e.currentTarget.checked;
              void act("toggle", async () => props.onChanged(await mcpApi.toggle(s().id, on)));
            }}
          />
          {s().enabled ? t("On") : t("Off")}
        </label>
      </div>
      <Show when={s().description}>
        <p>{s().description}</p>
      </Show>
      <p class="hint mcp-where">{where()}</p>
      <p class="hint">
        {t("For {agents}", { agents: agents() })}
        {s().envKeys.length ? t(" · env {names}", { names: setNames(s().envKeys) }) : ""}
        {s().headerNames.length ? t(" · headers {names}", { names: setNames(s().headerNames) }) : ""}
      </p>
      <Show when={!test() && s().lastError}>
        {(error) => (
          <p class="error mcp-last-error" data-testid="last-error">
            {t("Did not start {time}: {error}", {
              time: dateTime(new Date(s().lastErrorAt ?? Date.now())),
              error: error(),
            })}
          </p>
        )}
      </Show>
      <Show when={!test() && (blocked().length || s().enabledTools)}>
        <p class="hint" data-testid="tool-lists">
          {s().enabledTools ? t("Only {tools}", { tools: s().enabledTools?.join(", ") || t("no tools") }) : ""}
          {s().enabledTools && blocked().length ? " · " : ""}
          {blocked().length ? t("Blocked: {tools}", { tools: blocked().join(", ") }) : ""}
        </p>
      </Show>

      <Show when={test()}>
        {(r) => (
          <div class="mcp-test" data-testid="test-result" data-ok={String(r().ok)}>
            <Show
              when={r().ok}
              fallback={
                <p class="error" role="alert">
                  {t("Failed after {ms} ms: {error}", { ms: r().ms, error: r().error ?? t("no answer") })}
                </p>
              }
            >
              <p class="ok">
                ✓ {plural(r().tools.length, "{n} tool in {ms} ms", "{n} tools in {ms} ms", { ms: r().ms })}
                <Show when={r().protocolVersion}>
                  {(v) => <span class="hint">{t(" · protocol {version}", { version: v() })}</span>}
                </Show>
              </p>
              <label class="toggle">
                <input
                  type="checkbox"
                  checked={s().enabledTools === null}
                  disabled={busy() === "tools"}
                  onChange={(e) =>
                    saveLists({
                      enabledTools: e.currentTarget.checked
                        ? null
                        : r()
                            .tools.map((x) => x.name)
                            .filter((n) => toolAllowed(s(), n)),
                      disabledTools: s().disabledTools,
                    })
                  }
                />
                {t("Allow tools this server adds later")}
              </label>
              <ul class="mcp-tools">
                <For each={r().tools}>
                  {(tool) => (
                    <li data-tool={tool.name}>
                      <label class="toggle">
                        <input
                          type="checkbox"
                          aria-label={t("Allow {name}", { name: tool.name })}
                          checked={toolAllowed(s(), tool.name)}
                          disabled={busy() === "tools"}
                          onChange={(e) => saveLists(withTool(s(), tool.name, e.currentTarget.checked))}
                        />
                        <span class="mcp-tool">
                          <code>{tool.name}</code>
                          <Show when={tool.description}>
                            <span class="hint">{tool.description}</span>
                          </Show>
                        </span>
                      </label>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </div>
        )}
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>

      <div class="chips">
        <button type="button" class="chip" disabled={busy() === "test"} onClick={runTest}>
          {busy() === "test" ? t("Testing…") : t("Test")}
        </button>
        <button type="button" class="chip" aria-expanded={editing()} onClick={() => setEditing(!editing())}>
          {t("Edit")}
        </button>
        <button
          type="button"
          class="chip danger"
          onClick={() => {
            if (
              !confirm(
                t("Delete the MCP server {name}? Sessions started from now on lose its tools.", { name: s().name }),
              )
            )
              return;
            void act("delete", async () => {
              await mcpApi.remove(s().id);
              props.onDeleted(s().id);
            });
          }}
        >
          {t("Delete")}
        </button>
      </div>
      <Show when={editing()}>
        <McpServerForm
          server={s()}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            setTest(null);
            props.onChanged(saved);
          }}
        />
      </Show>
    </section>
  );
}
