import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { t } from "../i18n";
import { accountsApi, limitText } from "../lib/accounts";
import { errorText } from "../lib/api";

/**
 * The card a Claude session shows when its account hit a usage limit and it was not moved (failover
 * off or no free account): switch to a free account, or wait for the reset.
 */
export function LimitCard(props: { sessionId: string; accountId: string; onSwitched: () => void }) {
  const [accounts, { refetch }] = createResource(() => accountsApi.list().catch(() => []));
  // "Wait" is kept by the server, so a reload or another device does not bring the card back
  const [waited, { refetch: refetchWait, mutate: setWaited }] = createResource(() =>
    accountsApi.limitWait(props.sessionId).catch(() => null),
  );
  // the account's limit shows up on the next look after Claude prints it
  const poll = setInterval(() => {
    if (document.visibilityState !== "visible") return;
    void refetch();
    void refetchWait();
  }, 4000);
  onCleanup(() => clearInterval(poll));
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const current = () => (accounts() ?? []).find((a) => a.id === props.accountId);
  const free = () =>
    (accounts() ?? []).filter((a) => a.id !== props.accountId && a.enabled && a.tokenFilled && !a.limitedUntil);
  const shown = () => {
    const c = current();
    // nothing shows until it is known whether this limit is being waited out
    if (!c?.limitedUntil || waited.state === "unresolved" || waited.state === "pending") return null;
    const w = waited();
    return w?.accountId === c.id && w.until === c.limitedUntil ? null : c;
  };
  const wait = async () => {
    setBusy(true);
    setError(null);
    try {
      setWaited(await accountsApi.waitOutLimit(props.sessionId));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const switchTo = async (id: string) => {
    setBusy(true);
    setError(null);
    try {
      await accountsApi.switchSession(props.sessionId, id);
      props.onSwitched();
      void refetch();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Show when={shown()}>
      {(c) => (
        <div class="prompt-card limit-card" role="alert" data-testid="limit-card">
          <p class="prompt-question">
            {t("{name} hit its usage limit ({limit}).", { name: c().displayName, limit: limitText(c()) ?? "" })}
            <Show when={!free().length}> {t("No other account is free.")}</Show>
          </p>
          <div class="prompt-options">
            <For each={free()}>
              {(a) => (
                <button
                  type="button"
                  class="prompt-option primary"
                  disabled={busy()}
                  data-switch-to={a.name}
                  onClick={() => switchTo(a.id)}
                >
                  {t("Switch to {name}", { name: a.displayName })}
                </button>
              )}
            </For>
            <button type="button" class="prompt-option" disabled={busy()} onClick={wait}>
              {t("Wait")}
            </button>
          </div>
          <Show when={error()}>
            <p role="status">{error()}</p>
          </Show>
        </div>
      )}
    </Show>
  );
}
