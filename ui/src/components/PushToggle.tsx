import { createSignal, Match, onMount, Show, Switch } from "solid-js";
import { t } from "../i18n";
import { errorText } from "../lib/api";
import { disablePush, enablePush, pushEnabled, pushSupported } from "../lib/push";

/** The notifications switch; says why when this page cannot have them (plain HTTP, iPhone outside the app). */
export function PushToggle() {
  const [on, setOn] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  onMount(() => void pushEnabled().then(setOn, () => {}));
  const toggle = async () => {
    setBusy(true);
    setError(null);
    try {
      if (on()) await disablePush();
      else await enablePush();
      setOn(!on());
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Switch>
      <Match when={!window.isSecureContext}>
        <p class="hint" data-testid="push-insecure">
          {t(
            'Notifications, installing as an app and the clipboard need a secure page: open OpenDray over HTTPS (or on this machine at localhost). This page came over plain HTTP from {host}. The README section "Open it on your phone" shows three ways.',
            { host: location.host },
          )}
        </p>
      </Match>
      <Match when={!pushSupported()}>
        <p class="hint">
          {t("This browser cannot receive push notifications (on iPhone, add the app to the home screen first).")}
        </p>
      </Match>
      <Match when={true}>
        <label class="toggle">
          <input type="checkbox" checked={on()} disabled={busy()} onChange={toggle} />
          {t("Notify me when a session waits for an answer, goes idle or ends")}
        </label>
        <Show when={error()}>
          <p class="error">{error()}</p>
        </Show>
      </Match>
    </Switch>
  );
}
