import { createResource, createSignal, Show } from "solid-js";
import { api, errorText, setToken } from "../lib/api";
import "../pages/forms.css";

const MIN_PASSWORD = 8;

/** Creates the account on a first start, else changes the password (and the username only if typed). */
export function AccountForm() {
  const [status, { refetch }] = createResource(() => api.authStatus().catch(() => null));
  const firstRun = () => status()?.adminConfigured === false;
  const [message, setMessage] = createSignal<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [password, setPassword] = createSignal("");
  const short = () => password().length > 0 && password().length < MIN_PASSWORD;
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const newPassword = String(f.get("newPassword") ?? "");
    if (newPassword.length < MIN_PASSWORD)
      return setMessage({ ok: false, text: `The new password needs at least ${MIN_PASSWORD} characters.` });
    if (newPassword !== String(f.get("confirm") ?? ""))
      return setMessage({ ok: false, text: "The two new passwords differ." });
    setBusy(true);
    setMessage(null);
    try {
      const current = String(f.get("currentPassword") ?? "");
      const username = String(f.get("newUsername") ?? "").trim();
      const res = await api.changeCredentials({
        ...(current ? { currentPassword: current } : {}),
        ...(username ? { newUsername: username } : {}),
        newPassword,
      });
      setToken(res.token);
      form.reset();
      setPassword("");
      const wasFirst = firstRun();
      void refetch();
      setMessage({
        ok: true,
        text: wasFirst ? `Account created. You are signed in as ${res.username}.` : "Password changed.",
      });
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
        {firstRun() ? "Username" : "New username (leave empty to keep yours)"}
        <input name="newUsername" autocomplete="username" autocapitalize="none" required={firstRun()} />
      </label>
      <label>
        New password
        <input
          name="newPassword"
          type="password"
          autocomplete="new-password"
          minlength={MIN_PASSWORD}
          required
          aria-describedby="password-rule"
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </label>
      <span id="password-rule" class={`field-rule${short() ? " bad" : ""}`}>
        At least {MIN_PASSWORD} characters.
      </span>
      <label>
        Repeat new password
        <input name="confirm" type="password" autocomplete="new-password" minlength={MIN_PASSWORD} required />
      </label>
      <Show when={message()}>
        {(m) => (
          <p class={m().ok ? "ok" : "error"} role="status">
            {m().text}
          </p>
        )}
      </Show>
      <button class="primary" type="submit" disabled={busy()}>
        {firstRun() ? "Create account" : "Change password"}
      </button>
    </form>
  );
}
