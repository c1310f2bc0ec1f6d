import { createSignal, type JSX } from "solid-js";
import { t } from "../i18n";

const THRESHOLD = 64;

/** Drag down from the top of the page to reload. */
export function PullToRefresh(props: { onRefresh: () => Promise<void>; children: JSX.Element }) {
  const [pull, setPull] = createSignal(0);
  const [busy, setBusy] = createSignal(false);
  let startY: number | null = null;

  const onStart = (e: TouchEvent) => {
    startY = window.scrollY <= 0 && !busy() ? (e.touches[0]?.clientY ?? null) : null;
  };
  const onMove = (e: TouchEvent) => {
    if (startY === null) return;
    const dy = (e.touches[0]?.clientY ?? startY) - startY;
    setPull(dy > 0 ? Math.min(dy * 0.5, THRESHOLD * 1.5) : 0);
  };
  const onEnd = async () => {
    const go = pull() >= THRESHOLD;
    startY = null;
    setPull(0);
    if (!go) return;
    setBusy(true);
    try {
      await props.onRefresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="ptr" onTouchStart={onStart} onTouchMove={onMove} onTouchEnd={onEnd} onTouchCancel={onEnd}>
      <div class="ptr-indicator" style={{ height: `${busy() ? 36 : pull()}px` }} aria-hidden={!busy()}>
        {busy()
          ? t("Refreshing…")
          : pull() >= THRESHOLD
            ? t("Release to refresh")
            : pull() > 8
              ? t("Pull to refresh")
              : ""}
      </div>
      {props.children}
    </div>
  );
}
