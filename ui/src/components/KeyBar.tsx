import { createSignal, For, onCleanup, onMount } from "solid-js";
import { t } from "../i18n";
import { type Key, type KeyId, keysFor } from "../lib/keybar-keys";

export type { Key } from "../lib/keybar-keys";

/**
 * Keys a phone keyboard lacks. Buttons never take focus, so the keyboard stays up. The row scrolls
 * sideways; a fade and a chevron at an edge say there are more keys that way.
 */
export function KeyBar(props: {
  order: KeyId[];
  ctrl: boolean;
  alt: boolean;
  onKey: (key: Key) => void;
  onEdit: () => void;
}) {
  let row!: HTMLDivElement;
  const [more, setMore] = createSignal({ left: false, right: false });
  const measure = () =>
    setMore({ left: row.scrollLeft > 2, right: row.scrollLeft + row.clientWidth < row.scrollWidth - 2 });
  onMount(() => {
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(row);
    onCleanup(() => ro.disconnect());
  });
  const sticky = (key: Key) => (key.action === "ctrl" ? props.ctrl : key.action === "alt" ? props.alt : undefined);

  return (
    <div class="keybar-wrap" classList={{ "more-left": more().left, "more-right": more().right }}>
      <div class="keybar" role="toolbar" aria-label={t("Terminal keys")} ref={row} onScroll={measure}>
        <For each={keysFor(props.order)}>
          {(key) => (
            <button
              type="button"
              tabindex="-1"
              class="key"
              classList={{ active: sticky(key) === true }}
              aria-label={key.aria ?? key.label}
              aria-pressed={sticky(key)}
              data-key={key.id}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => props.onKey(key)}
            >
              {key.label}
            </button>
          )}
        </For>
        <button
          type="button"
          tabindex="-1"
          class="key key-edit"
          aria-label={t("Edit keys")}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => props.onEdit()}
        >
          ✎
        </button>
      </div>
      <span class="keybar-hint" aria-hidden="true">
        ›
      </span>
    </div>
  );
}
