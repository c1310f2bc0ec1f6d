/** An unknown address or a session that does not exist (any more). */
export function NotFound(props: { what: "page" | "session" }) {
  return (
    <main class="page not-found" data-testid="not-found">
      <div class="empty">
        <h1>{props.what === "session" ? "Session not found" : "Page not found"}</h1>
        <p>
          {props.what === "session"
            ? "This session does not exist; it may have been deleted."
            : "Nothing lives at this address."}
        </p>
        <a class="primary button" href="/">
          Back to sessions
        </a>
      </div>
    </main>
  );
}
