import { plural, t } from "../i18n";
import "./forms.css";
import { createResource, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { TopBar } from "../components/TopBar";
import { api, errorText } from "../lib/api";
import { botReady, chatName, telegramApi, telegramSummary } from "../lib/telegram-api";

type Note = { ok: boolean; text: string } | null;

export function TelegramSettings() {
  const [status, { mutate, refetch }] = createResource(() => telegramApi.status());
  const [chats, { refetch: refetchChats }] = createResource(() => telegramApi.recentChats().catch(() => []));
  const [links, { refetch: refetchLinks }] = createResource(() => telegramApi.links().catch(() => []));
  const [sessions] = createResource(() => api.sessions().catch(() => []));
  const [note, setNote] = createSignal<Note>(null);
  // The bot connects in the background: follow its status while it is not settled.
  onMount(() => {
    const timer = setInterval(() => {
      const s = status();
      if (s?.tokenSet && !botReady(s) && !s.lastError && document.visibilityState === "visible") void refetch();
    }, 1500);
    onCleanup(() => clearInterval(timer));
  });
  const [busy, setBusy] = createSignal(false);

  const run = async (what: () => Promise<string>) => {
    setBusy(true);
    setNote(null);
    try {
      setNote({ ok: true, text: await what() });
    } catch (err) {
      setNote({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  const saveToken = (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const botToken = String(new FormData(form).get("botToken") ?? "").trim();
    if (!botToken) return setNote({ ok: false, text: t("Paste the bot token from @BotFather first.") });
    void run(async () => {
      mutate(await telegramApi.save({ botToken }));
      form.reset();
      return t("Token saved. The bot starts now.");
    });
  };
  const clearToken = () =>
    run(async () => {
      mutate(await telegramApi.save({ botToken: null }));
      return t("Token removed. The bot is stopped.");
    });

  const saveChats = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const picked = f.getAll("chat").map(String);
    const typed = String(f.get("extra") ?? "")
      .split(/[\s,]+/)
      .filter(Boolean);
    void run(async () => {
      mutate(await telegramApi.save({ allowedChatIds: [...new Set([...picked, ...typed])] }));
      void refetchChats();
      return t("Allowed chats saved.");
    });
  };

  const sessionName = (id: string) => sessions()?.find((s) => s.id === id)?.name ?? t("a session that is gone");
  // Allowed chats the bot has not heard from recently still show, by id.
  const chatRows = () => {
    const seen = chats() ?? [];
    const allowed = status()?.allowedChats ?? [];
    const extra = allowed
      .filter((id) => !seen.some((c) => c.chatId === id))
      .map((chatId) => ({ chatId, kind: "", title: null, username: null, allowed: true, lastSeenAt: "" }));
    return [...seen.map((c) => ({ ...c, allowed: allowed.includes(c.chatId) })), ...extra];
  };

  return (
    <main class="page settings">
      <TopBar title={t("Telegram")} back="/settings" />
      <Show when={status()} fallback={<p class="hint">{status.error ? errorText(status.error) : t("Loading…")}</p>}>
        {(s) => (
          <>
            <section class="card">
              <h2>{t("Status")}</h2>
              <p data-testid="telegram-summary">{telegramSummary(s())}</p>
              <Show when={s().tokenSet && s().running}>
                <p class="hint">
                  {plural(
                    s().sent,
                    "{n} message sent, {received} received.",
                    "{n} messages sent, {received} received.",
                    {
                      received: s().received,
                    },
                  )}
                </p>
              </Show>
              <Show when={note()}>
                {(n) => (
                  <p class={n().ok ? "ok" : "error"} role="status">
                    {n().text}
                  </p>
                )}
              </Show>
            </section>
            <section class="card">
              <h2>{t("Bot token")}</h2>
              <Show
                when={s().tokenSource !== "env"}
                fallback={
                  <p class="hint">
                    {t(
                      "The token comes from the environment (OPENDRAY_TELEGRAM_BOT_TOKEN); change or remove it there.",
                    )}
                  </p>
                }
              >
                <form onSubmit={saveToken}>
                  <label>
                    {s().tokenSet ? t("Replace the token") : t("Token from @BotFather")}
                    <input
                      name="botToken"
                      type="password"
                      autocomplete="off"
                      autocapitalize="none"
                      placeholder="123456789:AA…"
                    />
                  </label>
                  <div class="row">
                    <button class="primary" type="submit" disabled={busy()}>
                      {t("Save token")}
                    </button>
                    <Show when={s().tokenSet}>
                      <button type="button" class="link danger" disabled={busy()} onClick={clearToken}>
                        {t("Remove token")}
                      </button>
                    </Show>
                  </div>
                </form>
              </Show>
            </section>
            <section class="card">
              <h2>{t("Allowed chats")}</h2>
              <p class="hint">
                {t("Only these chats can use the bot. Send /whoami to your bot; the chat then shows up here.")}
              </p>
              <form onSubmit={saveChats}>
                <For each={chatRows()} fallback={<p class="hint">{t("No chat has written to the bot yet.")}</p>}>
                  {(c) => (
                    <label class="toggle">
                      <input type="checkbox" name="chat" value={c.chatId} checked={c.allowed} />
                      {chatName(c)}
                      <Show when={c.kind}>
                        <span class="hint"> · {c.kind}</span>
                      </Show>
                    </label>
                  )}
                </For>
                <label>
                  {t("Add a chat id")}
                  <input name="extra" inputmode="numeric" autocomplete="off" placeholder="123456789" />
                </label>
                <button class="primary" type="submit" disabled={busy()}>
                  {t("Save allowed chats")}
                </button>
              </form>
              <button
                type="button"
                class="link"
                disabled={busy() || !s().running || !s().allowedChats.length}
                onClick={() =>
                  run(async () => t("Test message sent to {chat}.", { chat: (await telegramApi.test()).chat }))
                }
              >
                {t("Send a test message")}
              </button>
            </section>
            <section class="card">
              <h2>{t("Linked sessions")}</h2>
              <For
                each={links() ?? []}
                fallback={<p class="hint">{t("No chat follows a session. In Telegram, /link picks one.")}</p>}
              >
                {(l) => (
                  <div class="row spread">
                    <span>
                      {chatName(
                        chatRows().find((c) => c.chatId === l.chatId) ?? {
                          chatId: l.chatId,
                          title: null,
                          username: null,
                        },
                      )}{" "}
                      → {sessionName(l.sessionId)}
                    </span>
                    <button
                      type="button"
                      class="link danger"
                      disabled={busy()}
                      onClick={() =>
                        run(async () => {
                          await telegramApi.unlink(l.chatId);
                          void refetchLinks();
                          return t("Unlinked.");
                        })
                      }
                    >
                      {t("Unlink")}
                    </button>
                  </div>
                )}
              </For>
            </section>
          </>
        )}
      </Show>
    </main>
  );
}
