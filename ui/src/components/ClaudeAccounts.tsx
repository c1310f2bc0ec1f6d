import { createResource, createSignal, For, Show } from "solid-js";
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
      <h2>Claude accounts</h2>
      <ul class="accounts">
        <For each={accounts() ?? []}>
          {(a) => (
            <li data-account={a.name}>
              <strong>{a.displayName}</strong>
              <span class="muted">
                {[a.email, a.plan, a.kind === "login" ? "signed in" : a.tokenFilled ? "token" : "no token"]
                  .filter(Boolean)
                  .join(" · ")}
              </span>
              <Show when={limitText(a)}>{(t) => <span class="badge warn">{t()}</span>}</Show>
              <button type="button" onClick={() => run(() => accountsApi.toggle(a.id))}>
                {a.enabled ? "Disable" : "Enable"}
              </button>
              <button type="button" class="danger" onClick={() => run(() => accountsApi.remove(a.id))}>
                Remove
              </button>
            </li>
          )}
        </For>
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => accountsApi.create(name().trim(), token().trim() || undefined), "Account added");
          setToken("");
        }}
      >
        <label>
          Name
          <input value={name()} pattern="[a-z0-9_-]{1,32}" required onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          Token (from claude setup-token)
          <input type="password" value={token()} autocomplete="off" onInput={(e) => setToken(e.currentTarget.value)} />
        </label>
        <button type="submit">Add with token</button>
        <button
          type="button"
          onClick={() => run(async () => setFlow(await accountsApi.signInStart(name().trim() || undefined)))}
        >
          Sign in
        </button>
        <button
          type="button"
          onClick={() =>
            run(async () => {
              const r = await accountsApi.importLocal();
              setNote(r.hint ?? `Imported ${r.imported}, skipped ${r.skipped}`);
            })
          }
        >
          Import from this host
        </button>
      </form>
      <Show when={flow()}>
        {(f) => (
          <div class="sign-in">
            <a href={f().authorizationUrl} target="_blank" rel="noopener noreferrer">
              Open the Claude sign-in page
            </a>
            <label>
              Code shown after signing in
              <input value={code()} autocomplete="off" onInput={(e) => setCode(e.currentTarget.value)} />
            </label>
            <button
              type="button"
              onClick={() =>
                run(async () => {
                  setFlow(null);
                  await accountsApi.signInComplete(f().flowId, code().trim());
                  setCode("");
                }, "Signed in")
              }
            >
              Finish sign-in
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
              Cancel
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
