import { createSignal, For, Show } from "solid-js";
import type { Prompt } from "../lib/types";

/** The agent's open question with its options as buttons; multi-select prompts get a Send button. */
export function PromptCard(props: { prompt: Prompt; onAnswer: (keys: string[]) => Promise<void> }) {
  const [picked, setPicked] = createSignal<string[]>([]);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const answer = async (keys: string[]) => {
    setBusy(true);
    setError(null);
    try {
      await props.onAnswer(keys);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  const tap = (key: string) => {
    if (!props.prompt.multi) return void answer([key]);
    setPicked((p) => (p.includes(key) ? p.filter((k) => k !== key) : [...p, key]));
  };

  return (
    <section class="prompt-card" role="dialog" aria-label="Agent question" data-testid="prompt-card">
      <p class="prompt-question">{props.prompt.question}</p>
      <div class="prompt-options">
        <For each={props.prompt.options}>
          {(o) => (
            <button
              type="button"
              class="prompt-option"
              classList={{ selected: picked().includes(o.key) }}
              disabled={busy()}
              data-key={o.key}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => tap(o.key)}
            >
              {o.label || o.key}
            </button>
          )}
        </For>
      </div>
      <Show when={props.prompt.multi}>
        <button
          type="button"
          class="primary"
          disabled={busy() || picked().length === 0}
          onClick={() => answer(picked())}
        >
          Send
        </button>
      </Show>
      <Show when={error()}>
        <p class="error">{error()}</p>
      </Show>
    </section>
  );
}
