import { Show } from "solid-js";
import { plural, t } from "../i18n";
import type { ConnectionState } from "../lib/terminal-socket";

/** Shown while the terminal is not live: what is going on, keys waiting to go, and "retry now". */
export function ConnectionBanner(props: { state: ConnectionState; queued: number; onRetry: () => void }) {
  const down = () => props.state === "reconnecting" || props.state === "offline";
  return (
    <Show when={down()}>
      <div class="conn-banner" role="status" data-testid="conn-banner">
        <span>{props.state === "offline" ? t("Offline") : t("Reconnecting…")}</span>
        <Show when={props.queued > 0}>
          <span class="queued" data-testid="queued">
            {plural(props.queued, "{n} input queued", "{n} inputs queued")}
          </span>
        </Show>
        <button type="button" class="small" onMouseDown={(e) => e.preventDefault()} onClick={() => props.onRetry()}>
          {t("Retry now")}
        </button>
      </div>
    </Show>
  );
}
