import { createResource, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { TopBar } from "../../components/TopBar";
import { t } from "../../i18n";
import { errorText, wsUrl } from "../../lib/api";
import { panelsApi, type SimDevice } from "../../lib/panels-api";

/** The device's screen: PNG frames over the stream WebSocket; taps and swipes go back as input. */
function Screen(props: { device: SimDevice }) {
  const [src, setSrc] = createSignal<string | null>(null);
  const [size, setSize] = createSignal({ width: 0, height: 0 });
  const [error, setError] = createSignal<string | null>(null);
  const [text, setText] = createSignal("");
  let img: HTMLImageElement | undefined;
  let ws: WebSocket | undefined;
  let down: { x: number; y: number; at: number } | null = null;

  const send = (m: unknown) => ws?.readyState === WebSocket.OPEN && ws.send(JSON.stringify(m));
  const onVisibility = () => send({ type: "visibility", visible: document.visibilityState === "visible" });

  onMount(() => {
    ws = new WebSocket(wsUrl(`/api/simulator/${encodeURIComponent(props.device.id)}/stream`, {}));
    ws.binaryType = "blob";
    ws.onmessage = (e) => {
      if (typeof e.data === "string") {
        const m = JSON.parse(e.data) as { type: string; width?: number; height?: number; message?: string };
        if (m.type === "config") setSize({ width: m.width ?? 0, height: m.height ?? 0 });
        if (m.type === "error") setError(m.message ?? t("stream error"));
        return;
      }
      const url = URL.createObjectURL(e.data as Blob);
      const old = src();
      setSrc(url);
      if (old) URL.revokeObjectURL(old);
    };
    ws.onclose = () => setError((e) => e ?? t("The stream closed."));
    document.addEventListener("visibilitychange", onVisibility);
  });
  onCleanup(() => {
    document.removeEventListener("visibilitychange", onVisibility);
    ws?.close();
    const old = src();
    if (old) URL.revokeObjectURL(old);
  });

  /** Page pixels on the image to device pixels. */
  const toDevice = (e: PointerEvent) => {
    const r = img?.getBoundingClientRect();
    if (!r || !size().width) return null;
    return {
      x: Math.round(((e.clientX - r.left) / r.width) * size().width),
      y: Math.round(((e.clientY - r.top) / r.height) * size().height),
    };
  };
  const input = (body: Record<string, unknown>) =>
    panelsApi.simInput(props.device.id, body).catch((e) => setError(errorText(e)));

  return (
    <section class="sim-screen">
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <Show when={src()} fallback={<p class="empty">{t("Connecting…")}</p>}>
        <img
          ref={img}
          src={src() ?? ""}
          alt={t("{name} screen", { name: props.device.name })}
          class="sim-img"
          draggable={false}
          onPointerDown={(e) => {
            const p = toDevice(e);
            if (p) down = { ...p, at: Date.now() };
            send({ type: "activity" });
          }}
          onPointerUp={(e) => {
            const p = toDevice(e);
            const d = down;
            down = null;
            if (!p || !d) return;
            const moved = Math.hypot(p.x - d.x, p.y - d.y) > 12;
            void input(
              moved
                ? { type: "swipe", x1: d.x, y1: d.y, x2: p.x, y2: p.y, durationMs: Math.max(50, Date.now() - d.at) }
                : { type: "tap", x: p.x, y: p.y },
            );
          }}
        />
      </Show>
      <Show when={props.device.platform === "android"}>
        <div class="row-buttons">
          <For each={["back", "home", "app_switch"]}>
            {(k) => (
              <button type="button" onClick={() => void input({ type: "key", key: k })}>
                {k === "app_switch" ? t("Apps") : k[0]?.toUpperCase() + k.slice(1)}
              </button>
            )}
          </For>
        </div>
        <form
          class="row-buttons"
          onSubmit={(e) => {
            e.preventDefault();
            if (text()) void input({ type: "text", text: text() }).then(() => setText(""));
          }}
        >
          <input
            aria-label={t("Type on the device")}
            placeholder={t("Type on the device")}
            value={text()}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit">{t("Send")}</button>
        </form>
      </Show>
    </section>
  );
}

/** /panels/simulator: Android devices through adb (iOS simulators on a Mac), live. */
export function SimulatorPanel() {
  const [list, { refetch }] = createResource(() => panelsApi.simDevices());
  const [device, setDevice] = createSignal<SimDevice | null>(null);
  return (
    <main class="page panel-page sim-panel">
      <TopBar title={device()?.name ?? t("Simulator")} back="/panels">
        <button type="button" class="icon-btn" aria-label={t("Reload devices")} onClick={() => void refetch()}>
          ⟳
        </button>
      </TopBar>
      <Show
        when={device()}
        keyed
        fallback={
          <Show when={!list.error} fallback={<p class="error">{errorText(list.error)}</p>}>
            <Show when={list()?.android.error}>
              <p class="banner warn">{list()?.android.error}</p>
            </Show>
            <ul class="doc-list" data-testid="devices">
              <For
                each={list()?.devices ?? []}
                fallback={<li class="empty">{list() ? t("No devices.") : t("Loading…")}</li>}
              >
                {(d) => (
                  <li>
                    <button
                      type="button"
                      class="doc-item"
                      disabled={d.platform === "android" && d.state !== "device"}
                      onClick={() => setDevice(d)}
                    >
                      {d.platform === "ios" ? "" : "🤖 "}
                      {d.name}{" "}
                      <span class="hint">
                        {d.id} · {d.state}
                      </span>
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        }
      >
        {(d) => (
          <>
            <button type="button" class="link panel-back" onClick={() => setDevice(null)}>
              {t("‹ Devices")}
            </button>
            <Screen device={d} />
          </>
        )}
      </Show>
    </main>
  );
}
