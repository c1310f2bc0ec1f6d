import { For } from "solid-js";

export interface Key {
  label: string;
  aria?: string;
  /** Bytes to send, or a special action. */
  send?: string;
  action?: "ctrl" | "up" | "down" | "left" | "right";
}

const KEYS: Key[] = [
  { label: "Esc", send: "\x1b" },
  { label: "Tab", send: "\t" },
  { label: "Ctrl", action: "ctrl" },
  { label: "↑", aria: "Up", action: "up" },
  { label: "↓", aria: "Down", action: "down" },
  { label: "←", aria: "Left", action: "left" },
  { label: "→", aria: "Right", action: "right" },
  { label: "^C", aria: "Ctrl-C", send: "\x03" },
  { label: "⏎", aria: "Enter", send: "\r" },
  { label: "/", send: "/" },
  { label: "|", send: "|" },
  { label: "~", send: "~" },
  { label: "-", send: "-" },
];

/** Keys a phone keyboard lacks. Buttons never take focus, so the keyboard stays up. */
export function KeyBar(props: { ctrl: boolean; onKey: (key: Key) => void }) {
  return (
    <div class="keybar" role="toolbar" aria-label="Terminal keys">
      <For each={KEYS}>
        {(key) => (
          <button
            type="button"
            tabindex="-1"
            class="key"
            classList={{ active: key.action === "ctrl" && props.ctrl }}
            aria-label={key.aria ?? key.label}
            aria-pressed={key.action === "ctrl" ? props.ctrl : undefined}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => props.onKey(key)}
          >
            {key.label}
          </button>
        )}
      </For>
    </div>
  );
}
