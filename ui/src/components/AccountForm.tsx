import { createResource, createSignal, Show } from "solid-js";
import { t } from "../i18n";
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
      return setMessage({ ok: false, text: t("The new password needs at least {n} characters.", { n: MIN_PASSWORD }) });
    if (newPassword !== String(f.get("confirm") ?? ""))
      return setMessage({ ok: false, text: t("The two new passwords differ.") });
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
        text: wasFirst
          ? t("Account created. You are signed in as {name}.", { name: res.username })
          : t("Password changed."),
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
        fallback={<p class="notice">{t("No account yet: choose the username and password you will sign in with.")}</p>}
      >
        <label>
          {t("Current password")}
          <input name="currentPassword" type="password" autocomplete="current-password" required />
        </label>
      </Show>
      <label>
        {firstRun() ? t("Username") : t("New username (leave empty to keep yours)")}
        <input name="newUsername" autocomplete="username" autocapitalize="none" required={firstRun()} />
      </label>
      <label>
        {t("New password")}
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
        {t("At least {n} characters.", { n: MIN_PASSWORD })}
      </span>
      <label>
        {t("Repeat new password")}
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
        {firstRun() ? t("Create account") : t("Change password")}
      </button>
    </form>
  );
}
