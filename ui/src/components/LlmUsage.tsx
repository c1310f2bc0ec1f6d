import { createResource, Show } from "solid-js";
import { t } from "../i18n";
import { llmApi } from "../lib/llm";

/** A routed session's model usage, for the session sheet. */
export function LlmUsage(props: { sessionId: string }) {
  const [usage] = createResource(() => llmApi.usage(props.sessionId).catch(() => null));
  return (
    <Show when={usage()?.routed ? usage() : null}>
      {(u) => (
        <dl class="kv" data-testid="llm-usage">
          <dt>{t("Model")}</dt>
          <dd>{u().lastModel ?? u().model}</dd>
          <dt>{t("Requests")}</dt>
          <dd>
            {u().requests}
            {u().errors ? ` ${t("({n} failed)", { n: u().errors })}` : ""}
          </dd>
          <dt>{t("Tokens")}</dt>
          <dd>{t("{in} in · {out} out", { in: u().inputTokens, out: u().outputTokens })}</dd>
        </dl>
      )}
    </Show>
  );
}
