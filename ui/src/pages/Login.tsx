import { createSignal, onCleanup, onMount, Show } from "solid-js";
import { t } from "../i18n";
import { ApiError, api, errorText, loginNotice, setLoginNotice, setToken } from "../lib/api";
import { navigate } from "../lib/router";

export function Login() {
  const [username, setUsername] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [firstRun, setFirstRun] = createSignal(false);

  // Where the user was going before being sent here (a deep link from a notification).
  const next = () => {
    const n = new URLSearchParams(location.search).get("next") ?? "";
    return n.startsWith("/") && !n.startsWith("//") && !n.startsWith("/login") ? n : "/";
  };
  const enter = (token: string, to = next()) => {
    setToken(token);
    setLoginNotice(null);
    navigate(to, { replace: true });
  };

  // The one-time link printed at first start: /login#code=XXXX
  const exchangeCode = async () => {
    const code = new URLSearchParams(location.hash.slice(1)).get("code");
    if (code) {
      history.replaceState(null, "", `/login${location.search}`);
      setBusy(true);
      try {
        const { token } = await api.oneTime(code);
        // First start: no account yet, so the next stop is choosing a username and password.
        const status = await api.authStatus().catch(() => null);
        enter(token, status?.adminConfigured === false ? "/settings" : next());
        return;
      } catch (err) {
        // 422: a link cut short while copying it; its schema message means nothing here.
        setError(
          err instanceof ApiError && err.status === 401
            ? t(
                "This sign-in link was already used or has expired. Sign in with your password, or use the newest link the server printed.",
              )
            : err instanceof ApiError && err.status === 422
              ? t(
                  "This sign-in link is incomplete. Copy the whole link the server printed, or sign in with your password.",
                )
              : errorText(err),
        );
      } finally {
        setBusy(false);
      }
    }
  };

  onMount(() => {
    void exchangeCode();
    window.addEventListener("hashchange", exchangeCode);
    onCleanup(() => window.removeEventListener("hashchange", exchangeCode));
    api.authStatus().then(
      (s) => setFirstRun(s.adminConfigured === false),
      () => {},
    );
  });

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      enter((await api.login(username().trim(), password())).token);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="page login">
      <div class="login-card">
        <img src="/icon.svg" alt="" width="64" height="64" />
        <h1>OpenDray</h1>
        <Show when={loginNotice()}>
          <p class="notice" role="status">
            {loginNotice()}
          </p>
        </Show>
        <Show when={firstRun()}>
          <p class="hint">
            {t("No admin account yet. Open the one-time login link the server printed when it started.")}
          </p>
        </Show>
        <form onSubmit={submit}>
          <label>
            {t("Username")}
            <input
              name="username"
              autocomplete="username"
              autocapitalize="none"
              required
              value={username()}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          </label>
          <label>
            {t("Password")}
            <input
              name="password"
              type="password"
              autocomplete="current-password"
              required
              value={password()}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </label>
          <Show when={error()}>
            <p class="error" role="alert">
              {error()}
            </p>
          </Show>
          <button class="primary" type="submit" disabled={busy()}>
            {busy() ? t("Signing in…") : t("Sign in")}
          </button>
        </form>
      </div>
    </main>
  );
}
