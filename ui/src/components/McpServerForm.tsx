import { createResource, createSignal, createUniqueId, For, Show } from "solid-js";
import { t } from "../i18n";
import { ApiError, api, errorText } from "../lib/api";
import {
  type McpAgent,
  type McpServer,
  type McpServerInput,
  mcpApi,
  type SecretEntry,
  TRANSPORT_LABELS,
  type Transport,
} from "../lib/mcp-api";
import { type Pair, pairsChanged, pairsMap, SecretPairs } from "./SecretPairs";

const sentence = (text: string) => {
  const s = text.trim();
  return s ? `${s[0]?.toUpperCase()}${s.slice(1)}${/[.!?…]$/.test(s) ? "" : "."}` : s;
};

/** 422 issues by the form field they belong to ("env.API_KEY" → env, "args.2" → args). */
function issuesByField(err: unknown): Record<string, string> | null {
  if (!(err instanceof ApiError) || !err.issues.length) return null;
  const out: Record<string, string> = {};
  for (const i of err.issues) {
    const field = i.path.replace(/^body\.?/, "").split(".")[0] || "form";
    out[field] = out[field] ? `${out[field]} ${sentence(i.message)}` : sentence(i.message);
  }
  return out;
}

/** Add or edit one MCP server: stdio command or SSE/streamable-HTTP URL, secrets, agents, timeouts. */
export function McpServerForm(props: { server?: McpServer; onSaved: (s: McpServer) => void; onCancel?: () => void }) {
  const s = props.server;
  const [agents] = createResource(() => mcpApi.agents().catch(() => [] as McpAgent[]));
  const [names] = createResource(async () => {
    const list = await api.providers().catch(() => null);
    return Object.fromEntries((list ?? []).map((p) => [p.name, p.displayName])) as Record<string, string>;
  });
  const [name, setName] = createSignal(s?.name ?? "");
  const ruleId = `mcp-name-rule-${createUniqueId()}`;
  const [description, setDescription] = createSignal(s?.description ?? "");
  const [transport, setTransport] = createSignal<Transport>(s?.transport ?? "stdio");
  const [command, setCommand] = createSignal(s?.command ?? "");
  const [args, setArgs] = createSignal((s?.args ?? []).join("\n"));
  const [url, setUrl] = createSignal(s?.url ?? "");
  const stored = (keys: string[] | undefined): Pair[] => (keys ?? []).map((key) => ({ key, value: "", stored: true }));
  const [env, setEnv] = createSignal<Pair[]>(stored(s?.envKeys));
  const [headers, setHeaders] = createSignal<Pair[]>(stored(s?.headerNames));
  const [appliesTo, setAppliesTo] = createSignal<string[]>(s?.appliesTo ?? ["*"]);
  const [startup, setStartup] = createSignal(String((s?.startupTimeoutMs ?? 20_000) / 1000));
  const [call, setCall] = createSignal(String((s?.callTimeoutMs ?? 60_000) / 1000));
  const [issues, setIssues] = createSignal<Record<string, string>>({});
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [more, setMore] = createSignal(false);

  let formEl: HTMLFormElement | undefined;
  /** Save sits at the form's foot: the first field it refused is scrolled to and focused, not left off-screen. */
  const showFirstIssue = () =>
    queueMicrotask(() => {
      const first = formEl?.querySelector<HTMLElement>(".field-error");
      if (!first) return;
      const input = formEl?.querySelector<HTMLElement>(`[name="${first.dataset.field}"]`);
      (input ?? first).scrollIntoView({ block: "center" });
      input?.focus({ preventScroll: true });
    });

  const allAgents = () => appliesTo().includes("*");
  const toggleAgent = (id: string, on: boolean) => {
    const list = appliesTo().filter((a) => a !== "*" && a !== id);
    setAppliesTo(on ? [...list, id] : list);
  };

  /** A map to send (stored values left blank are kept by name), or an issue; nothing when the rows are as stored. */
  const pairsBody = (pairs: Pair[], storedKeys: string[]): { value?: Record<string, SecretEntry>; issue?: string } => {
    if (s && !pairsChanged(pairs, storedKeys)) return { value: undefined };
    const map = pairsMap(pairs);
    return "empty" in map ? { issue: t("{name} needs a value.", { name: map.empty }) } : map;
  };

  const save = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const local: Record<string, string> = {};
    const envBody = pairsBody(env(), s?.envKeys ?? []);
    const headerBody = pairsBody(headers(), s?.headerNames ?? []);
    const stdio = transport() === "stdio";
    if (stdio && envBody.issue) local.env = envBody.issue;
    if (!stdio && headerBody.issue) local.headers = headerBody.issue;
    const seconds = (text: string, field: string) => {
      const n = Number(text);
      if (!text.trim() || !Number.isFinite(n) || n <= 0) local[field] = t("A number of seconds, such as 20.");
      return Math.round(n * 1000);
    };
    const startupTimeoutMs = seconds(startup(), "startupTimeoutMs");
    const callTimeoutMs = seconds(call(), "callTimeoutMs");
    setIssues(local);
    if (Object.keys(local).length) return showFirstIssue();
    const body: McpServerInput = {
      ...(s && name().trim() === s.name ? {} : { name: name().trim() }),
      description: description().trim(),
      transport: transport(),
      appliesTo: appliesTo().length ? appliesTo() : [],
      startupTimeoutMs,
      callTimeoutMs,
      ...(stdio
        ? {
            command: command().trim() || null,
            args: args()
              .split("\n")
              .map((a) => a.trim())
              .filter(Boolean),
            ...(envBody.value ? { env: envBody.value } : {}),
          }
        : { url: url().trim() || null, ...(headerBody.value ? { headers: headerBody.value } : {}) }),
    };
    setBusy(true);
    try {
      const saved = s ? await mcpApi.update(s.id, body) : await mcpApi.create(body);
      props.onSaved(saved);
    } catch (err) {
      const by = issuesByField(err);
      if (by) {
        const { form, ...fields } = by;
        setIssues(fields);
        if (form) setError(form);
        showFirstIssue();
      } else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const FieldError = (p: { field: string }) => (
    <Show when={issues()[p.field]}>
      <p class="field-error" role="alert" data-field={p.field}>
        {issues()[p.field]}
      </p>
    </Show>
  );

  return (
    <form class="mcp-form" ref={formEl} onSubmit={save} novalidate>
      <label>
        {t("Name")}
        <input
          name="name"
          placeholder="everything"
          autocapitalize="none"
          autocomplete="off"
          spellcheck={false}
          value={name()}
          aria-describedby={ruleId}
          onInput={(e) => {
            setName(e.currentTarget.value);
            setIssues(({ name: _, ...rest }) => rest);
          }}
        />
      </label>
      <span id={ruleId} class="field-rule">
        {t("Lowercase letters, digits, _ or -; tools appear as name__tool.")}
        <Show when={s && name().trim() !== s.name}>
          {" "}
          {t("Running sessions keep calling {old}__tool as well.", { old: s?.name ?? "" })}
        </Show>
      </span>
      <FieldError field="name" />
      <label>
        {t("Description")}
        <input name="description" value={description()} onInput={(e) => setDescription(e.currentTarget.value)} />
      </label>
      <FieldError field="description" />
      <label>
        {t("Transport")}
        <select name="transport" value={transport()} onChange={(e) => setTransport(e.currentTarget.value as Transport)}>
          <For each={Object.entries(TRANSPORT_LABELS)}>{([id, label]) => <option value={id}>{t(label)}</option>}</For>
        </select>
      </label>
      <FieldError field="transport" />
      <Show
        when={transport() === "stdio"}
        fallback={
          <>
            <label>
              URL
              <input
                name="url"
                type="url"
                inputmode="url"
                placeholder="http://127.0.0.1:3001/mcp"
                autocapitalize="none"
                spellcheck={false}
                value={url()}
                onInput={(e) => setUrl(e.currentTarget.value)}
              />
            </label>
            <FieldError field="url" />
            <SecretPairs
              label={t("Headers (values sealed on the server)")}
              keyLabel={t("Header")}
              keyPlaceholder="Authorization"
              pairs={headers()}
              onChange={setHeaders}
              error={issues().headers}
            />
          </>
        }
      >
        <label>
          {t("Command")}
          <input
            name="command"
            placeholder="npx"
            autocapitalize="none"
            spellcheck={false}
            value={command()}
            onInput={(e) => setCommand(e.currentTarget.value)}
          />
        </label>
        <FieldError field="command" />
        <label>
          {t("Arguments, one per line")}
          <textarea
            name="args"
            rows={3}
            placeholder={"-y\n@modelcontextprotocol/server-everything"}
            autocapitalize="none"
            spellcheck={false}
            value={args()}
            onInput={(e) => setArgs(e.currentTarget.value)}
          />
        </label>
        <FieldError field="args" />
        <SecretPairs
          label={t("Environment (values sealed on the server)")}
          keyLabel={t("Variable")}
          keyPlaceholder="API_KEY"
          pairs={env()}
          onChange={setEnv}
          error={issues().env}
        />
      </Show>

      <fieldset class="mcp-agents">
        <legend>{t("Agents")}</legend>
        <label class="toggle">
          <input
            type="checkbox"
            name="allAgents"
            checked={allAgents()}
            onChange={(e) => setAppliesTo(e.currentTarget.checked ? ["*"] : [])}
          />
          {t("All agents")}
        </label>
        <Show when={!allAgents()}>
          <For each={agents() ?? []}>
            {(a) => (
              <label class="toggle" data-agent={a.id}>
                <input
                  type="checkbox"
                  checked={appliesTo().includes(a.id)}
                  onChange={(e) => toggleAgent(a.id, e.currentTarget.checked)}
                />
                <span>
                  {names()?.[a.id] ?? a.id}
                  <span class="hint">{t(" · takes {transports}", { transports: a.transports.join(", ") })}</span>
                </span>
              </label>
            )}
          </For>
        </Show>
        <FieldError field="appliesTo" />
      </fieldset>

      <button type="button" class="link" onClick={() => setMore(!more())}>
        {more() ? t("Fewer options") : t("Timeouts")}
      </button>
      <Show when={more() || issues().startupTimeoutMs || issues().callTimeoutMs}>
        <label>
          {t("Seconds to start")}
          <input inputmode="decimal" value={startup()} onInput={(e) => setStartup(e.currentTarget.value)} />
        </label>
        <FieldError field="startupTimeoutMs" />
        <label>
          {t("Seconds per tool call")}
          <input inputmode="decimal" value={call()} onInput={(e) => setCall(e.currentTarget.value)} />
        </label>
        <FieldError field="callTimeoutMs" />
      </Show>

      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="row">
        <button class="primary" type="submit" disabled={busy()}>
          {busy() ? t("Saving…") : s ? t("Save") : t("Add server")}
        </button>
        <Show when={props.onCancel}>
          <button type="button" onClick={() => props.onCancel?.()}>
            {t("Cancel")}
          </button>
        </Show>
      </div>
    </form>
  );
}
