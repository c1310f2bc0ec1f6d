import { createResource, createSignal, For, Show } from "solid-js";
import { t } from "../i18n";
import { errorText, request } from "../lib/api";
import { affirmative, diffKind, promptContext } from "../lib/prompt-context";
import type { Prompt } from "../lib/types";

/**
 * The agent's open question with what it is about (the screen lines above it; a file edit's name
 * and diff), the affirmative option as the primary button; multi-select prompts get a Send button.
 */
export function PromptCard(props: {
  prompt: Prompt;
  onAnswer: (keys: string[]) => Promise<void>;
  /** The list card shows the question and buttons only. */
  compact?: boolean;
}) {
  const [picked, setPicked] = createSignal<string[]>([]);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [context] = createResource(
    // An agent's ask_user question is not on its screen: no context to show.
    () => (props.compact || props.prompt.kind === "ask" ? null : props.prompt),
    (p) =>
      request<{ lines: string[] }>("GET", `/api/sessions/${encodeURIComponent(p.sessionId)}/screen?scrollback=60`)
        .then((screen) => promptContext(screen.lines, p.question))
        .catch(() => null),
  );
  const yes = () => affirmative(props.prompt.options);

  const answer = async (keys: string[]) => {
    setBusy(true);
    setError(null);
    try {
      await props.onAnswer(keys);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const tap = (key: string) => {
    if (!props.prompt.multi) return void answer([key]);
    setPicked((p) => (p.includes(key) ? p.filter((k) => k !== key) : [...p, key]));
  };

  return (
    <section
      class="prompt-card"
      classList={{ compact: props.compact }}
      role="dialog"
      aria-label={t("Agent question")}
      data-testid="prompt-card"
    >
      <Show when={context()?.file}>
        <p class="prompt-file" data-testid="prompt-file">
          {context()?.file}
        </p>
      </Show>
      <Show when={context()?.lines.length}>
        <pre class="prompt-context" data-testid="prompt-context">
          <For each={context()?.lines}>{(line) => <span class={`pl ${diffKind(line) ?? ""}`}>{`${line}\n`}</span>}</For>
        </pre>
      </Show>
      <p class="prompt-question">{props.prompt.question}</p>
      <Show when={props.prompt.multi}>
        <div class="prompt-checks">
          <For each={props.prompt.options}>
            {(o) => (
              <label class="toggle" data-key={o.key}>
                <input
                  type="checkbox"
                  checked={picked().includes(o.key)}
                  disabled={busy()}
                  onChange={() => tap(o.key)}
                />
                {o.label || o.key}
              </label>
            )}
          </For>
        </div>
        <button
          type="button"
          class="primary"
          disabled={busy() || picked().length === 0}
          onClick={() => answer(picked())}
        >
          {t("Send")}
        </button>
      </Show>
      <Show when={!props.prompt.multi}>
        <div class="prompt-options">
          <For each={props.prompt.options}>
            {(o) => (
              <button
                type="button"
                class="prompt-option"
                classList={{ primary: o.key === yes() }}
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
      </Show>
      <Show when={error()}>
        <p class="error">{error()}</p>
      </Show>
    </section>
  );
}
