import { createResource } from "solid-js";
import { AccountForm } from "../components/AccountForm";
import { ClaudeAccounts } from "../components/ClaudeAccounts";
import { LanguagePicker } from "../components/LanguagePicker";
import { PushToggle } from "../components/PushToggle";
import { TopBar } from "../components/TopBar";
import { t } from "../i18n";
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
      <TopBar title={t("Settings")} back="/" />
      <section class="card">
        <h2>{t("Account")}</h2>
        <AccountForm />
        <button type="button" class="link danger" onClick={logout}>
          {t("Log out")}
        </button>
      </section>
      <LanguagePicker />
      <section class="card">
        <h2>{t("Model endpoints")}</h2>
        <a class="link" href="/settings/models">
          {t("Run agents on your own models…")}
        </a>
      </section>
      <section class="card">
        <h2>{t("MCP servers")}</h2>
        <a class="link" href="/settings/mcp">
          {t("Tools for every agent session…")}
        </a>
      </section>
      <section class="card">
        <h2>{t("Plugins")}</h2>
        <a class="link" href="/settings/plugins">
          {t("Turn agents and panels on or off, and set them up…")}
        </a>
      </section>
      <ClaudeAccounts />
      <section class="card">
        <h2>{t("Notifications")}</h2>
        <PushToggle />
      </section>
      <section class="card">
        <h2>{t("Telegram")}</h2>
        <p data-testid="telegram-summary">
          {telegram()
            ? telegramSummary(telegram() as NonNullable<ReturnType<typeof telegram>>)
            : telegram.loading
              ? t("Loading…")
              : t("The Telegram bridge is not available on this server.")}
        </p>
        <a class="link" href="/settings/telegram">
          {t("Set up Telegram ›")}
        </a>
      </section>
      <section class="card">
        <h2>{t("About")}</h2>
        <dl class="kv">
          <dt>{t("Version")}</dt>
          <dd data-testid="version">{health()?.version ?? "—"}</dd>
          <dt>{t("Sessions")}</dt>
          <dd>{health()?.sessions ?? "—"}</dd>
        </dl>
      </section>
    </main>
  );
}
