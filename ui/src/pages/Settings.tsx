import { createResource, createSignal, For, onMount, Show } from "solid-js";
import { ClaudeAccounts } from "../components/ClaudeAccounts";
import { TopBar } from "../components/TopBar";
import { api, errorText, setToken } from "../lib/api";
import { disablePush, enablePush, pushEnabled, pushSupported } from "../lib/push";
import { navigate } from "../lib/router";

export function Settings() {
  const [health] = createResource(() => api.health().catch(() => null));
  const [telegram] = createResource(() => api.telegramStatus().catch(() => null));

  const logout = () => {
    setToken(null);
    // Nothing of this account stays on a shared phone.
    localStorage.removeItem("opendray.sessions");
    void globalThis.caches?.delete("opendray-data");
    navigate("/login", { replace: true });
  };

  return (
    <main class="page settings">
      <TopBar title="Settings" back="/" />
      <section class="card">
        <h2>Account</h2>
        <ChangeCredentials />
        <button type="button" class="link danger" onClick={logout}>
          Log out
        </button>
      </section>
      <ClaudeAccounts />
      <section class="card">
        <h2>Notifications</h2>
        <PushToggle />
      </section>
      <section class="card">
        <h2>Telegram</h2>
        <Show
          when={telegram()}
          fallback={
            <p class="hint">{telegram.loading ? "Loading…" : "The Telegram bridge is not available on this server."}</p>
          }
        >
          {(t) => (
            <dl class="kv">
              <For each={Object.entries(t()).filter(([k]) => !/token|secret/i.test(k))}>
                {([k, v]) => (
                  <>
                    <dt>{k}</dt>
                    <dd>{typeof v === "object" ? JSON.stringify(v) : String(v)}</dd>
                  </>
                )}
              </For>
            </dl>
          )}
        </Show>
      </section>
      <section class="card">
        <h2>About</h2>
        <dl class="kv">
          <dt>Version</dt>
          <dd data-testid="version">{health()?.version ?? "—"}</dd>
          <dt>Sessions</dt>
          <dd>{health()?.sessions ?? "—"}</dd>
        </dl>
      </section>
    </main>
  );
}

function ChangeCredentials() {
  const [status, { refetch }] = createResource(() => api.authStatus().catch(() => null));
  const firstRun = () => status()?.adminConfigured === false;
  const [message, setMessage] = createSignal<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const newPassword = String(f.get("newPassword") ?? "");
    if (newPassword !== String(f.get("confirm") ?? ""))
      return setMessage({ ok: false, text: "The new passwords differ." });
    setBusy(true);
    setMessage(null);
    try {
      const current = String(f.get("currentPassword") ?? "");
      const res = await api.changeCredentials({
        ...(current ? { currentPassword: current } : {}),
        newUsername: String(f.get("newUsername") ?? "").trim(),
        newPassword,
      });
      setToken(res.token);
      form.reset();
      void refetch();
      setMessage({ ok: true, text: `Saved. You are signed in as ${res.username}.` });
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit}>
      <Show
        when={!firstRun()}
        fallback={<p class="notice">No account yet: choose the username and password you will sign in with.</p>}
      >
        <label>
          Current password
          <input name="currentPassword" type="password" autocomplete="current-password" required />
        </label>
      </Show>
      <label>
        New username
        <input name="newUsername" autocomplete="username" autocapitalize="none" required />
      </label>
      <label>
        New password
        <input name="newPassword" type="password" autocomplete="new-password" minlength="8" required />
      </label>
      <label>
        Repeat new password
        <input name="confirm" type="password" autocomplete="new-password" minlength="8" required />
      </label>
      <Show when={message()}>{(m) => <p class={m().ok ? "ok" : "error"}>{m().text}</p>}</Show>
      <button class="primary" type="submit" disabled={busy()}>
        {firstRun() ? "Create account" : "Change credentials"}
      </button>
    </form>
  );
}

function PushToggle() {
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
    <Show
      when={pushSupported()}
      fallback={
        <p class="hint">
          This browser cannot receive push notifications (on iPhone, add the app to the home screen first).
        </p>
      }
    >
      <label class="toggle">
        <input type="checkbox" checked={on()} disabled={busy()} onChange={toggle} />
        Notify me when a session waits for an answer, goes idle or ends
      </label>
      <Show when={error()}>
        <p class="error">{error()}</p>
      </Show>
    </Show>
  );
}
