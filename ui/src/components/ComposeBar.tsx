import { createSignal, type JSX, onCleanup, Show } from "solid-js";
import { t } from "../i18n";
import { ApiError, errorText, token } from "../lib/api";
import { dictate, speechAvailable } from "../lib/speech";

/** A 24-unit line icon in the text colour, 22 px, as the compose buttons draw them. */
function LineIcon(props: { children: JSX.Element }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width="22"
      height="22"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
    >
      {props.children}
    </svg>
  );
}

/**
 * A line to write before it goes to the terminal: dictated by voice (editable before sending) or
 * typed, and the photo attach button whose upload's path goes into the agent's prompt.
 */
export function ComposeBar(props: {
  sessionId: string;
  /** The agent reads image paths from its prompt: type the path there at once. */
  typesImagePath: boolean;
  onSend: (text: string) => void;
  onTypePath: (path: string) => void;
}) {
  const [text, setText] = createSignal("");
  const [listening, setListening] = createSignal(false);
  const [status, setStatus] = createSignal<string | null>(null);
  let file!: HTMLInputElement;
  let stop: (() => void) | null = null;
  onCleanup(() => stop?.());

  const send = () => {
    const t = text();
    if (!t) return;
    props.onSend(t);
    setText("");
  };
  const voice = () => {
    if (listening()) return stop?.();
    const before = text() ? `${text()} ` : "";
    setListening(true);
    setStatus(null);
    stop = dictate({
      onText: (t) => setText(before + t),
      onEnd: () => {
        setListening(false);
        stop = null;
      },
      onError: (m) => setStatus(m),
    });
  };
  const upload = async () => {
    const f = file.files?.[0];
    file.value = "";
    if (!f) return;
    setStatus(t("Uploading {name}…", { name: f.name }));
    try {
      const res = await fetchImage(props.sessionId, f);
      setStatus(t("Attached {name}", { name: res.name }));
      if (props.typesImagePath) props.onTypePath(res.path);
      else setText((t) => (t ? `${t} ${res.path}` : res.path));
    } catch (err) {
      setStatus(t("Upload failed: {error}", { error: errorText(err) }));
    }
  };

  return (
    <div class="compose">
      <Show when={status()}>
        <p class="compose-status" role="status">
          {status()}
        </p>
      </Show>
      <div class="compose-row">
        <button type="button" class="icon-btn" aria-label={t("Attach image")} onClick={() => file.click()}>
          <LineIcon>
            <path d="M21 11.5 12.5 20a5 5 0 0 1-7-7L14 4.5a3.5 3.5 0 0 1 5 5L10.5 18a2 2 0 0 1-3-3L15 7.5" />
          </LineIcon>
        </button>
        <input
          ref={file}
          type="file"
          accept="image/*"
          class="hidden-file"
          data-testid="image-input"
          onChange={upload}
        />
        <Show when={speechAvailable()}>
          <button
            type="button"
            class="icon-btn"
            classList={{ active: listening() }}
            aria-label={listening() ? t("Stop dictation") : t("Dictate")}
            aria-pressed={listening()}
            onClick={voice}
          >
            <LineIcon>
              <rect x="9" y="3" width="6" height="11" rx="3" />
              <path d="M5 11a7 7 0 0 0 14 0M12 18v3" />
            </LineIcon>
          </button>
        </Show>
        <input
          class="compose-input"
          aria-label={t("Message")}
          placeholder={t("Type or dictate…")}
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => e.key === "Enter" && send()}
        />
        <button type="button" class="primary small" disabled={!text()} onClick={send}>
          {t("Send")}
        </button>
      </div>
    </div>
  );
}

/** POST …/image with the file as the raw body (the JSON client would encode it). */
async function fetchImage(sessionId: string, f: File): Promise<{ path: string; name: string; size: number }> {
  const res = await fetch(`/api/sessions/${encodeURIComponent(sessionId)}/image`, {
    method: "POST",
    headers: { authorization: `Bearer ${token() ?? ""}`, "content-type": f.type || "image/png" },
    body: f,
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, data?.error?.code ?? "error", data?.error?.message ?? res.statusText);
  return data;
}
