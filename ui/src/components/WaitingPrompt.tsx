import { createResource, createSignal, For, Show } from "solid-js";
import { api, errorText } from "../lib/api";
import "../pages/forms.css";

/**
 * On a waiting session's card: the agent's question and its answers as buttons (single choice;
 * a multi-select question opens the session instead).
 */
export function WaitingPrompt(props: { sessionId: string; onAnswered: () => void }) {
  const [prompt] = createResource(
    () => props.sessionId,
    (id) => api.prompt(id).catch(() => null),
  );
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const answer = async (promptId: string, key: string) => {
    setBusy(true);
    setError(null);
    try {
      await api.answerPrompt(props.sessionId, promptId, [key]);
      props.onAnswered();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Show when={prompt()}>
      {(p) => (
        <div class="card-prompt" data-testid="card-prompt">
          <p class="card-question">{p().question}</p>
          <Show when={!p().multi} fallback={<a href={`/s/${props.sessionId}`}>Choose in the session ›</a>}>
            <div class="card-answers">
              <For each={p().options}>
                {(o) => (
                  <button type="button" disabled={busy()} data-key={o.key} onClick={() => answer(p().id, o.key)}>
                    {o.label || o.key}
                  </button>
                )}
              </For>
            </div>
          </Show>
          <Show when={error()}>
            <p class="error">{error()}</p>
          </Show>
        </div>
      )}
    </Show>
  );
}
