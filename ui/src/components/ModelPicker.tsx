import { createResource, createSignal, For, Show } from "solid-js";
import { t } from "../i18n";
import { type Endpoint, llmApi } from "../lib/llm";

export interface ModelRoute {
  llmProviderId: string;
  model: string;
}

/** The launcher's endpoint + model pickers: empty means the agent's own account and model. */
export function ModelPicker(props: { onChange: (route: ModelRoute | null) => void }) {
  const [endpoints] = createResource(() => llmApi.list().catch(() => [] as Endpoint[]));
  const [endpoint, setEndpoint] = createSignal("");
  const [model, setModel] = createSignal("");
  // "" (the agent's own) is not a source Solid skips: without `|| false` it would fetch /api/llm-providers//models.
  const [models] = createResource(
    () => endpoint() || false,
    async (id) => {
      const known = endpoints()?.find((e) => e.id === id)?.models;
      if (known?.length) return known;
      return llmApi.models(id).catch(() => []);
    },
  );
  const emit = () => props.onChange(endpoint() && model() ? { llmProviderId: endpoint(), model: model() } : null);

  return (
    <Show when={(endpoints() ?? []).some((e) => e.enabled)}>
      <label>
        {t("Model endpoint")}
        <select
          name="llmProviderId"
          value={endpoint()}
          onChange={(e) => {
            setEndpoint(e.currentTarget.value);
            setModel("");
            emit();
          }}
        >
          <option value="">{t("The agent's own")}</option>
          <For each={(endpoints() ?? []).filter((e) => e.enabled)}>{(e) => <option value={e.id}>{e.name}</option>}</For>
        </select>
      </label>
      <Show when={endpoint()}>
        <label>
          {t("Endpoint model")}
          <select
            name="llmModel"
            value={model()}
            onChange={(e) => {
              setModel(e.currentTarget.value);
              emit();
            }}
          >
            <option value="">{models.loading ? t("Loading…") : t("Pick a model")}</option>
            <For each={models() ?? []}>{(m) => <option value={m.id}>{m.id}</option>}</For>
          </select>
        </label>
      </Show>
    </Show>
  );
}
