import { createResource, Show } from "solid-js";
import { llmApi } from "../lib/llm";

/** A routed session's model usage, for the session sheet. */
export function LlmUsage(props: { sessionId: string }) {
  const [usage] = createResource(() => llmApi.usage(props.sessionId).catch(() => null));
  return (
    <Show when={usage()?.routed ? usage() : null}>
      {(u) => (
        <dl class="kv" data-testid="llm-usage">
          <dt>Model</dt>
          <dd>{u().lastModel ?? u().model}</dd>
          <dt>Requests</dt>
          <dd>
            {u().requests}
            {u().errors ? ` (${u().errors} failed)` : ""}
          </dd>
          <dt>Tokens</dt>
          <dd>
            {u().inputTokens} in · {u().outputTokens} out
          </dd>
        </dl>
      )}
    </Show>
  );
}
