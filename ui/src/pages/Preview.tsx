import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { TopBar } from "../components/TopBar";
import { t } from "../i18n";
import { errorText } from "../lib/api";
import { type OpenedPreview, type PreviewShot, previewApi, withoutCode } from "../lib/preview-api";
import "./preview.css";

const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 800 } };
type Viewport = keyof typeof VIEWPORTS;

/** /s/:id/preview: what the session serves, shown in a frame through OpenDray. */
export function Preview(props: { id: string }) {
  const [ports, { refetch }] = createResource(() => previewApi.ports(props.id));
  const [opened, setOpened] = createSignal<OpenedPreview | null>(null);
  const [src, setSrc] = createSignal("");
  const [viewport, setViewport] = createSignal<Viewport>("phone");
  const [error, setError] = createSignal("");
  const [shot, setShot] = createSignal<PreviewShot | null>(null);
  const [busy, setBusy] = createSignal(false);
  const [width, setWidth] = createSignal(360);
  let stage: HTMLDivElement | undefined;

  const measure = () => setWidth(stage?.clientWidth ?? 360);
  const observer = new ResizeObserver(measure);
  onCleanup(() => observer.disconnect());

  /** Where the frame opened (a printed link's page, else the app's root): a new tab opens there too. */
  let openedPath: string | undefined;
  const open = async (port: number, path?: string) => {
    setError("");
    setShot(null);
    try {
      const p = await previewApi.open(props.id, port, path);
      openedPath = path;
      setOpened(p);
      setSrc(p.url);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const reload = () => {
    const p = opened();
    if (!p) return;
    // A changed src reloads a cross-origin frame; the cookie from the first load still admits it.
    const base = withoutCode(p.url);
    if (src() !== base) return setSrc(base);
    // The same src again would not reload it: a throwaway parameter, before any #fragment.
    const cut = base.includes("#") ? base.indexOf("#") : base.length;
    const head = base.slice(0, cut);
    setSrc(`${head}${head.includes("?") ? "&" : "?"}_r=${Date.now()}${base.slice(cut)}`);
  };
  const openTab = async () => {
    const p = opened();
    if (!p) return;
    // Opened before the request so a phone's popup blocker sees the tap.
    const tab = window.open("about:blank", "_blank");
    try {
      const fresh = await previewApi.open(props.id, p.port, openedPath);
      if (tab) {
        tab.opener = null;
        tab.location.href = fresh.url;
      }
    } catch (e) {
      tab?.close();
      setError(errorText(e));
    }
  };
  const screenshot = async () => {
    const p = opened();
    if (!p) return;
    setBusy(true);
    try {
      const size = VIEWPORTS[viewport()];
      setShot(await previewApi.screenshot(p.id, size.width, size.height));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  // /s/:id/preview?port=5173&path=/some/page (a localhost link turned into a preview link) opens
  // that port at once, on the page the link printed.
  const query = new URLSearchParams(location.search);
  const wanted = Number(query.get("port"));
  if (wanted > 0 && wanted < 65536) void open(wanted, query.get("path") ?? undefined);
  const scale = () => Math.min(1, width() / VIEWPORTS[viewport()].width);

  return (
    <main class="page preview-page">
      <TopBar title={t("Preview")} back={`/s/${props.id}`}>
        <button type="button" class="icon-btn" aria-label={t("Refresh ports")} onClick={() => refetch()}>
          ⟳
        </button>
      </TopBar>
      <Show when={!ports.error} fallback={<p class="error">{errorText(ports.error)}</p>}>
        <Show when={ports()} fallback={<p class="empty">{t("Looking for servers…")}</p>}>
          <Show
            when={ports()?.length}
            fallback={<p class="empty">{t("This session is not serving anything yet. Start a dev server in it.")}</p>}
          >
            <ul class="preview-ports" data-testid="preview-ports">
              <For each={ports()}>
                {(p) => (
                  <li>
                    <button
                      type="button"
                      class="preview-port"
                      classList={{ active: opened()?.port === p.port }}
                      onClick={() => open(p.port)}
                    >
                      <span class="preview-port-num">:{p.port}</span>
                      <span class="preview-port-cmd">
                        {shortCommand(p.command) ?? p.url ?? t("printed in the output")}
                      </span>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </Show>
      </Show>
      <Show when={error()}>
        <p class="error">{error()}</p>
      </Show>
      <Show when={opened()}>
        <div class="preview-tools">
          <button type="button" onClick={reload}>
            {t("Reload")}
          </button>
          <button type="button" onClick={openTab}>
            {t("Open in new tab")}
          </button>
          <button
            type="button"
            aria-pressed={viewport() === "phone"}
            onClick={() => setViewport(viewport() === "phone" ? "desktop" : "phone")}
          >
            {viewport() === "phone" ? t("Phone") : t("Desktop")}
          </button>
          <button type="button" onClick={screenshot} disabled={busy()}>
            {busy() ? t("Taking…") : t("Screenshot")}
          </button>
        </div>
        <div
          class="preview-stage"
          ref={(el) => {
            stage = el;
            observer.observe(el);
            queueMicrotask(measure);
          }}
          style={{ height: `${VIEWPORTS[viewport()].height * scale()}px` }}
        >
          <iframe
            title={t("Preview")}
            class="preview-frame"
            src={src()}
            style={{
              width: `${VIEWPORTS[viewport()].width}px`,
              height: `${VIEWPORTS[viewport()].height}px`,
              transform: `scale(${scale()})`,
            }}
          />
        </div>
      </Show>
      <Show when={shot()}>
        {(s) => (
          <section class="preview-shot">
            <img alt={t("Screenshot of the preview")} src={`data:${s().mimeType};base64,${s().data}`} />
            <Show when={s().consoleErrors.length} fallback={<p class="empty">{t("No console errors.")}</p>}>
              <ul class="preview-errors">
                <For each={s().consoleErrors}>{(e) => <li>{e}</li>}</For>
              </ul>
            </Show>
            <Show when={s().failedRequests.length}>
              <ul class="preview-errors">
                <For each={s().failedRequests}>{(r) => <li>{`${r.status ?? r.error ?? ""} ${r.url}`}</li>}</For>
              </ul>
            </Show>
          </section>
        )}
      </Show>
    </main>
  );
}

/** "/usr/lib/node_modules/bun/bin/bun.exe app.ts" → "bun.exe app.ts" */
const shortCommand = (command: string | null) =>
  command
    ?.split(" ")
    .map((w, i) => (i === 0 ? (w.split("/").pop() ?? w) : w.replace(/^.*\/(?=[^/]+$)/, "")))
    .join(" ") || null;
