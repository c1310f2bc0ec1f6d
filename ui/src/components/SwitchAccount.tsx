import { createResource, createSignal, For, Show } from "solid-js";
import { t } from "../i18n";
import { accountsApi, limitText } from "../lib/accounts";
import { errorText } from "../lib/api";

/**
 * "Switch account" in a Claude session's sheet; when the session's account is limited it reads as the
 * limit card: switch to another account, or wait for the reset.
 */
export function SwitchAccount(props: { sessionId: string; accountId: string | null | undefined; onDone: () => void }) {
  const [accounts] = createResource(() => accountsApi.list().catch(() => []));
  const [note, setNote] = createSignal<string | null>(null);
  const current = () => (accounts() ?? []).find((a) => a.id === props.accountId);
  const others = () => (accounts() ?? []).filter((a) => a.id !== props.accountId && a.enabled && a.tokenFilled);
  const switchTo = async (id: string) => {
    try {
      const r = await accountsApi.switchSession(props.sessionId, id);
      setNote(
        r.resumed
          ? t("Switched; the conversation continues")
          : t("Switched; a new conversation started with a recap of this one"),
      );
      props.onDone();
    } catch (err) {
      setNote(errorText(err));
    }
  };
  return (
    <Show when={(accounts() ?? []).length > 0}>
      <div class="switch-account" classList={{ "limit-card": !!current()?.limitedUntil }}>
        <Show when={current()}>
          {(c) => (
            <p>
              {t("Account:")} <strong>{c().displayName}</strong>
              <Show when={limitText(c())}>
                {(limit) => <span class="badge warn"> {t("{limit} — switch or wait", { limit: limit() })}</span>}
              </Show>
            </p>
          )}
        </Show>
        <For each={others()}>
          {(a) => (
            <button type="button" data-switch-to={a.name} onClick={() => switchTo(a.id)}>
              {t("Switch to {name}", { name: a.displayName })}
              <Show when={limitText(a)}>{(t) => <span class="muted"> ({t()})</span>}</Show>
            </button>
          )}
        </For>
        <Show when={note()}>
          <p role="status">{note()}</p>
        </Show>
      </div>
    </Show>
  );
}
