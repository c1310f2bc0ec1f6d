import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import { AccountPicker } from "../components/AccountPicker";
import { AgentIcon } from "../components/AgentIcon";
import { ConfigField } from "../components/ConfigField";
import { type McpChoice, McpPicker } from "../components/McpPicker";
import { ModelPicker, type ModelRoute } from "../components/ModelPicker";
import { ResetAgentConfig } from "../components/ResetAgentConfig";
import { TopBar } from "../components/TopBar";
import { t } from "../i18n";
import { api, errorText } from "../lib/api";
import { navigate } from "../lib/router";
import { cachedSessions, fontSize, lastAgent, recentCwds, rememberCwd, setLastAgent } from "../lib/storage";
import type { ConfigOption, Provider } from "../lib/types";

const TERMINAL: Provider = {
  name: "terminal",
  displayName: "Terminal",
  kind: "shell",
  installed: true,
  enabled: true,
  models: [],
  configSchema: [],
  config: {},
};

/** A first guess of the terminal size so the agent's first screen already fits the phone. */
function screenSize() {
  const size = fontSize();
  const cols = Math.floor((window.innerWidth - 8) / (size * 0.6));
  const rows = Math.floor((window.innerHeight - 120) / (size * 1.2));
  return { cols: Math.max(20, Math.min(cols, 300)), rows: Math.max(8, Math.min(rows, 200)) };
}

function splitArgs(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3] ?? "");
  return out;
}

export function Launcher() {
  const [providers, { refetch }] = createResource(async () => {
    const list = await api.providers().catch(() => null);
    const usable = (list ?? []).filter((p) => p.enabled !== false);
    const all = usable.some((p) => p.name === "terminal") ? usable : [TERMINAL, ...usable];
    // The shell first (always there), then installed agents, then the ones still to install.
    const rank = (p: Provider) => (p.name === "terminal" ? 0 : p.installed ? 1 : 2);
    return [...all].sort((a, b) => rank(a) - rank(b));
  });
  // Recent directories of this phone, then those of existing sessions: real directories on the server.
  const recent = [...new Set([...recentCwds(), ...(cachedSessions() ?? []).map((s) => s.cwd)])].slice(0, 8);
  const [agent, setAgent] = createSignal(lastAgent());
  const [cwd, setCwd] = createSignal(recent[0] ?? "~");
  const [model, setModel] = createSignal("");
  const [route, setRoute] = createSignal<ModelRoute | null>(null);
  const [name, setName] = createSignal("");
  const [args, setArgs] = createSignal("");
  /** Option values the user changed here; saved as the agent's defaults on launch. */
  const [edits, setEdits] = createSignal<Record<string, unknown>>({});
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [more, setMore] = createSignal(false);

  const selected = createMemo(() => {
    const list = providers() ?? [TERMINAL];
    return list.find((p) => p.name === agent() && p.installed) ?? list.find((p) => p.installed) ?? TERMINAL;
  });

  const choose = (p: Provider) => {
    if (!p.installed) return;
    setAgent(p.name);
    setModel("");
    setEdits({});
  };

  const value = (opt: ConfigOption): unknown => {
    const e = edits();
    return opt.key in e ? e[opt.key] : (selected().config[opt.key] ?? opt.default);
  };
  /** Launch options of the agent; secrets and connection settings belong to Settings, not here. */
  const options = (advanced: boolean) =>
    selected().configSchema.filter((o) => {
      if (o.type === "secret" || !!o.group !== advanced || o.key === "extraArgs") return false;
      if (!o.dependsOn) return true;
      const dep = selected().configSchema.find((d) => d.key === o.dependsOn);
      return dep ? value(dep) === o.dependsVal : true;
    });

  const [account, setAccount] = createSignal("");
  const [mcp, setMcp] = createSignal<McpChoice>({});
  const launch = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const p = selected();
    const changed = edits();
    // What was saved before, put back when the launch fails: a choice that did not start is not kept.
    const before = Object.fromEntries(
      Object.keys(changed).map((k) => {
        const v = p.config[k];
        return [k, v === undefined || v === null ? null : typeof v === "boolean" ? v : String(v)];
      }),
    );
    let saved = false;
    try {
      if (Object.keys(changed).length) {
        const values = Object.fromEntries(
          Object.entries(changed).map(([k, v]) => [k, typeof v === "boolean" || v === null ? v : String(v ?? "")]),
        );
        await api.saveProviderConfig(p.name, values);
        saved = true;
      }
      const session = await api.createSession({
        sessionType: p.name,
        cwd: cwd().trim(),
        ...(name().trim() ? { name: name().trim() } : {}),
        ...(route() ?? (model() ? { model: model() } : {})),
        ...(args().trim() ? { extraArgs: splitArgs(args()) } : {}),
        ...(p.name === "claude" && account() ? { claudeAccountId: account() } : {}),
        ...(p.name === "terminal" ? {} : mcp()),
        ...screenSize(),
      });
      rememberCwd(cwd().trim());
      setLastAgent(p.name);
      navigate(`/s/${session.id}`, { replace: true });
    } catch (err) {
      // Put the saved choice back first: once the error shows, the options are as they were.
      if (saved) await api.saveProviderConfig(p.name, before).catch(() => {});
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page">
      <TopBar title={t("New session")} back="/" />
      <form class="launcher" onSubmit={launch}>
        <fieldset class="agents">
          <legend>{t("Agent")}</legend>
          <For each={providers() ?? [TERMINAL]}>
            {(p) => (
              <button
                type="button"
                class="agent-card"
                classList={{ selected: selected().name === p.name, unavailable: !p.installed }}
                aria-pressed={selected().name === p.name}
                disabled={!p.installed}
                data-agent={p.name}
                onClick={() => choose(p)}
              >
                <AgentIcon name={p.name} icon={p.icon} />
                <span class="agent-name">{p.displayName || p.name}</span>
                <Show when={!p.installed}>
                  <span class="agent-hint">{p.installHint ?? t("not installed")}</span>
                </Show>
              </button>
            )}
          </For>
        </fieldset>
        <Show when={selected().notice}>
          <p class="agent-notice" role="note" data-notice-for={selected().name}>
            {selected().notice}
          </p>
        </Show>

        <label>
          {t("Working directory")}
          <input
            name="cwd"
            list="recent-cwds"
            autocapitalize="none"
            autocomplete="off"
            spellcheck={false}
            required
            value={cwd()}
            onInput={(e) => setCwd(e.currentTarget.value)}
          />
          <datalist id="recent-cwds">
            <For each={recent}>{(c) => <option value={c} />}</For>
          </datalist>
        </label>
        <Show when={recent.length > 1}>
          <div class="chips">
            <For each={recent.slice(0, 5)}>
              {(c) => (
                <button type="button" class="chip" classList={{ selected: cwd() === c }} onClick={() => setCwd(c)}>
                  {c}
                </button>
              )}
            </For>
          </div>
        </Show>

        <ModelPicker onChange={setRoute} />
        <Show when={selected().models.length > 0 && !route()}>
          <label>
            {t("Model")}
            <select name="model" value={model()} onChange={(e) => setModel(e.currentTarget.value)}>
              <option value="">{t("Default")}</option>
              <For each={selected().models}>{(m) => <option value={m.id}>{m.name || m.id}</option>}</For>
            </select>
          </label>
        </Show>

        <Show when={selected().name === "claude"}>
          <AccountPicker value={account()} onChange={setAccount} />
        </Show>

        <McpPicker agent={selected().name} onChange={setMcp} />

        <For each={options(false)}>
          {(opt) => (
            <ConfigField option={opt} value={value(opt)} onChange={(v) => setEdits({ ...edits(), [opt.key]: v })} />
          )}
        </For>

        <button type="button" class="link" onClick={() => setMore(!more())}>
          {more() ? t("Fewer options") : t("More options")}
        </button>
        <Show when={more()}>
          <label>
            {t("Name")}
            <input
              name="name"
              placeholder={t("optional")}
              value={name()}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </label>
          <For each={options(true)}>
            {(opt) => (
              <ConfigField option={opt} value={value(opt)} onChange={(v) => setEdits({ ...edits(), [opt.key]: v })} />
            )}
          </For>
          <label>
            {t("Extra arguments for this session")}
            <input
              name="extraArgs"
              autocapitalize="none"
              spellcheck={false}
              placeholder="--flag value"
              value={args()}
              onInput={(e) => setArgs(e.currentTarget.value)}
            />
          </label>
          <ResetAgentConfig
            providers={providers() ?? []}
            selected={selected().name}
            onReset={() => {
              setEdits({});
              void refetch();
            }}
          />
        </Show>

        <Show when={error()}>
          <p class="error" role="alert">
            {error()}
          </p>
        </Show>
        <button class="primary big" type="submit" disabled={busy()}>
          {busy() ? t("Starting…") : t("Start {agent}", { agent: selected().displayName || selected().name })}
        </button>
      </form>
    </main>
  );
}
