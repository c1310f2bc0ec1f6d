import { createResource, createSignal, For, Show } from "solid-js";
import { t } from "../i18n";
import { accountsApi, limitText } from "../lib/accounts";
import { errorText } from "../lib/api";

/** Settings → Claude accounts: paste a token, sign in from the phone, or import the host's. */
export function ClaudeAccounts() {
  const [accounts, { refetch }] = createResource(() => accountsApi.list().catch(() => []));
  const [name, setName] = createSignal("");
  const [token, setToken] = createSignal("");
  const [flow, setFlow] = createSignal<{ flowId: string; authorizationUrl: string } | null>(null);
  const [code, setCode] = createSignal("");
  const [note, setNote] = createSignal<string | null>(null);
  const run = async (work: () => Promise<unknown>, done?: string) => {
    setNote(null);
    try {
      await work();
      if (done) setNote(done);
    } catch (err) {
      setNote(errorText(err));
    }
    await refetch();
  };

  return (
    <section class="card" data-section="claude-accounts">
      <h2>{t("Claude accounts")}</h2>
      {/* An empty list would still take its margins: a gap above the form. */}
      <Show when={(accounts() ?? []).length > 0}>
        <ul class="accounts">
          <For each={accounts() ?? []}>
            {(a) => (
              <li class="account-row" data-account={a.name}>
                <span class="account-main">
                  <strong>{a.displayName}</strong>
                  <span class="hint account-state">
                    {[a.email, a.plan, a.kind === "login" ? t("signed in") : a.tokenFilled ? t("token") : t("no token")]
                      .filter(Boolean)
                      .join(" · ")}
                  </span>
                  <Show when={limitText(a)}>{(t) => <span class="badge badge-waiting">{t()}</span>}</Show>
                </span>
                <span class="account-actions">
                  <button type="button" onClick={() => run(() => accountsApi.toggle(a.id))}>
                    {a.enabled ? t("Disable") : t("Enable")}
                  </button>
                  <button type="button" class="danger" onClick={() => run(() => accountsApi.remove(a.id))}>
                    {t("Remove")}
                  </button>
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => accountsApi.create(name().trim(), token().trim() || undefined), t("Account added"));
          setToken("");
        }}
      >
        <label>
          {t("Name")}
          <input value={name()} pattern="[a-z0-9_-]{1,32}" required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          {t("Token (from claude setup-token)")}
          <input type="password" value={token()} autocomplete="off" onInput={(e) => setToken(e.currentTarget.value)} />
        </label>
        <button type="submit">{t("Add with token")}</button>
        <button
          type="button"
          onClick={() => run(async () => setFlow(await accountsApi.signInStart(name().trim() || undefined)))}
        >
          {t("Sign in")}
        </button>
        <button
          type="button"
          onClick={() =>
            run(async () => {
              const r = await accountsApi.importLocal();
              setNote(
                r.hint ?? t("Imported {imported}, skipped {skipped}", { imported: r.imported, skipped: r.skipped }),
              );
            })
          }
        >
          {t("Import from this host")}
        </button>
      </form>
      <Show when={flow()}>
        {(f) => (
          <div class="sign-in">
            <a href={f().authorizationUrl} target="_blank" rel="noopener noreferrer">
              {t("Open the Claude sign-in page")}
            </a>
            <label>
              {t("Code shown after signing in")}
              <input value={code()} autocomplete="off" onInput={(e) => setCode(e.currentTarget.value)} />
            </label>
            <button
              type="button"
              onClick={() =>
                run(async () => {
                  setFlow(null);
                  await accountsApi.signInComplete(f().flowId, code().trim());
                  setCode("");
                }, t("Signed in"))
              }
            >
              {t("Finish sign-in")}
            </button>
            <button
              type="button"
              onClick={() =>
                run(async () => {
                  setFlow(null);
                  await accountsApi.signInCancel(f().flowId);
                })
              }
            >
              {t("Cancel")}
            </button>
          </div>
        )}
      </Show>
      <Show when={note()}>
        <p role="status">{note()}</p>
      </Show>
    </section>
  );
}
