import { createResource, Show } from "solid-js";
import { api } from "../lib/api";
import { PromptCard } from "./PromptCard";

/** A waiting session's question on its list card, answered without opening the session. */
export function SessionPrompt(props: { sessionId: string; onAnswered: () => void }) {
  const [prompt, { mutate }] = createResource(
    () => props.sessionId,
    (id) => api.prompt(id).catch(() => null),
  );
  return (
    <Show when={prompt()}>
      {(p) => (
        <div class="session-prompt" data-session-id={props.sessionId}>
          <PromptCard
            compact
            prompt={p()}
            onAnswer={async (keys) => {
              await api.answerPrompt(props.sessionId, p().id, keys);
              mutate(null);
              props.onAnswered();
            }}
          />
        </div>
      )}
    </Show>
  );
}
