import { t } from "../i18n";
/** An unknown address or a session that does not exist (any more). */
export function NotFound(props: { what: "page" | "session" }) {
  return (
    <main class="page not-found" data-testid="not-found">
      <div class="empty">
        <h1>{props.what === "session" ? t("Session not found") : t("Page not found")}</h1>
        <p>
          {props.what === "session"
            ? t("This session does not exist; it may have been deleted.")
            : t("Nothing lives at this address.")}
        </p>
        <a class="primary button" href="/">
          {t("Back to sessions")}
        </a>
      </div>
    </main>
  );
}
