import { createResource } from "solid-js";
import { AccountForm } from "../components/AccountForm";
import { ClaudeAccounts } from "../components/ClaudeAccounts";
import { PushToggle } from "../components/PushToggle";
import { TopBar } from "../components/TopBar";
import { api, setToken } from "../lib/api";
import { navigate } from "../lib/router";
import { telegramApi, telegramSummary } from "../lib/telegram-api";

export function Settings() {
  const [health] = createResource(() => api.health().catch(() => null));
  const [telegram] = createResource(() => telegramApi.status().catch(() => null));

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
        <AccountForm />
        <button type="button" class="link danger" onClick={logout}>
          Log out
        </button>
      </section>
      <section class="card">
        <h2>Model endpoints</h2>
        <a class="link" href="/settings/models">
          Run agents on your own models…
        </a>
      </section>
      <section class="card">
        <h2>MCP servers</h2>
        <a class="link" href="/settings/mcp">
          Tools for every agent session…
        </a>
      </section>
      <ClaudeAccounts />
      <section class="card">
        <h2>Notifications</h2>
        <PushToggle />
      </section>
      <section class="card">
        <h2>Telegram</h2>
        <p data-testid="telegram-summary">
          {telegram()
            ? telegramSummary(telegram() as NonNullable<ReturnType<typeof telegram>>)
            : telegram.loading
              ? "Loading…"
              : "The Telegram bridge is not available on this server."}
        </p>
        <a href="/settings/telegram">Set up Telegram ›</a>
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
