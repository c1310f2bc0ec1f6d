import { createResource, createSignal, For, Show } from "solid-js";
import { TopBar } from "../components/TopBar";
import { t } from "../i18n";
import { errorText } from "../lib/api";
import { type Endpoint, KINDS, llmApi, WIRE_LABELS, type Wire } from "../lib/llm";

/** Settings → Model endpoints: add, probe, toggle, delete; each endpoint's protocols and models. */
export function ModelEndpoints() {
  const [endpoints, { refetch }] = createResource(() => llmApi.list());
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [form, setForm] = createSignal({ name: "", kind: "openai-compat", baseUrl: "", key: "", keyEnv: "" });
  const set = (k: keyof ReturnType<typeof form>, v: string) => setForm({ ...form(), [k]: v });

  const act = async (what: string, fn: () => Promise<unknown>) => {
    setError(null);
    setBusy(what);
    try {
      await fn();
      await refetch();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(null);
    }
  };

  const add = (e: Event) => {
    e.preventDefault();
    const f = form();
    void act("add", async () => {
      const created = await llmApi.create({
        name: f.name.trim(),
        kind: f.kind,
        baseUrl: f.baseUrl.trim(),
        ...(f.key ? { apiKey: f.key } : {}),
        ...(f.keyEnv.trim() ? { apiKeyEnv: f.keyEnv.trim() } : {}),
      });
      setForm({ name: "", kind: "openai-compat", baseUrl: "", key: "", keyEnv: "" });
      await llmApi.probe(created.id).catch(() => {});
    });
  };

  return (
    <main class="page settings">
      <TopBar title={t("Model endpoints")} back="/settings" />
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <For
        each={endpoints() ?? []}
        fallback={<p class="hint">{endpoints.loading ? t("Loading…") : t("No endpoints yet.")}</p>}
      >
        {(ep) => <EndpointCard ep={ep} busy={busy()} act={act} />}
      </For>
      <section class="card">
        <h2>{t("Add an endpoint")}</h2>
        <form onSubmit={add}>
          <label>
            {t("Name")}
            <input
              name="name"
              required
              pattern="[a-z0-9_\-]{1,48}"
              title={t("1–48 lowercase letters, digits, _ or -")}
              placeholder="ollama-desktop"
              autocapitalize="none"
              value={form().name}
              onInput={(e) => set("name", e.currentTarget.value)}
            />
          </label>
          <label>
            {t("Kind")}
            <select name="kind" value={form().kind} onChange={(e) => set("kind", e.currentTarget.value)}>
              <For each={KINDS}>{(k) => <option value={k}>{k}</option>}</For>
            </select>
          </label>
          <label>
            {t("Base URL")}
            <input
              name="baseUrl"
              required
              type="url"
              placeholder="http://192.168.1.5:11434"
              autocapitalize="none"
              value={form().baseUrl}
              onInput={(e) => set("baseUrl", e.currentTarget.value)}
            />
          </label>
          <label>
            {t("API key (kept sealed on the server)")}
            <input
              name="apiKey"
              type="password"
              value={form().key}
              onInput={(e) => set("key", e.currentTarget.value)}
            />
          </label>
          <label>
            {t("…or the server variable holding it")}
            <input
              name="apiKeyEnv"
              placeholder="GROQ_API_KEY"
              autocapitalize="none"
              value={form().keyEnv}
              onInput={(e) => set("keyEnv", e.currentTarget.value)}
            />
          </label>
          <button class="primary" type="submit" disabled={busy() === "add"}>
            {busy() === "add" ? t("Adding…") : t("Add and probe")}
          </button>
        </form>
      </section>
    </main>
  );
}

function EndpointCard(props: {
  ep: Endpoint;
  busy: string | null;
  act: (what: string, fn: () => Promise<unknown>) => Promise<void>;
}) {
  const ep = () => props.ep;
  return (
    <section class="card" data-endpoint={ep().name}>
      <h2>
        {ep().name} <span class="hint">{ep().kind}</span>
      </h2>
      <p class="hint">
        {ep().baseUrl}
        {ep().apiKeySet ? t(" · key set") : ""}
        {ep().enabled ? "" : t(" · off")}
      </p>
      <Show when={ep().wires} fallback={<p class="hint">{t("Not probed yet.")}</p>}>
        {(w) => (
          <div class="chips wires" data-testid="wires">
            <For each={Object.entries(w()) as [Wire, { ok: boolean; ms: number }][]}>
              {([wire, r]) => (
                <span class="chip" classList={{ selected: r.ok }} data-wire={wire} data-ok={String(r.ok)}>
                  {r.ok ? "✓" : "✗"} {WIRE_LABELS[wire]}
                </span>
              )}
            </For>
          </div>
        )}
      </Show>
      <Show when={ep().models?.length}>
        <ul class="model-list">
          <For each={ep().models ?? []}>
            {(m) => (
              <li>
                {m.id}
                <Show when={m.contextWindow}>
                  <span class="hint"> · {t("{k}k context", { k: Math.round((m.contextWindow ?? 0) / 1024) })}</span>
                </Show>
                <Show when={m.vision}>
                  <span class="hint"> {t("· vision")}</span>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="chips">
        <button
          type="button"
          class="chip"
          disabled={props.busy === ep().id}
          onClick={() => props.act(ep().id, () => llmApi.probe(ep().id))}
        >
          {props.busy === ep().id ? t("Probing…") : t("Probe")}
        </button>
        <button
          type="button"
          class="chip"
          onClick={() => props.act(`t${ep().id}`, () => llmApi.toggle(ep().id, !ep().enabled))}
        >
          {ep().enabled ? t("Turn off") : t("Turn on")}
        </button>
        <button
          type="button"
          class="chip danger"
          onClick={() =>
            confirm(t("Delete {name}?", { name: ep().name })) && props.act(`d${ep().id}`, () => llmApi.remove(ep().id))
          }
        >
          {t("Delete")}
        </button>
      </div>
    </section>
  );
}
