import type { KEY_IDS } from "../../../src/ui-prefs/model";
import { request } from "./api";

export type KeyId = (typeof KEY_IDS)[number];

export interface Key {
  id: KeyId;
  label: string;
  aria?: string;
  /** Bytes to send, or a special action. */
  send?: string;
  action?: "ctrl" | "alt" | "up" | "down" | "left" | "right" | "home" | "end";
}

/** Every key the bar can show, in the default order. */
export const KEYS: Key[] = [
  { id: "esc", label: "Esc", send: "\x1b" },
  { id: "tab", label: "Tab", send: "\t" },
  // Claude Code's mode switch (plan / auto-accept)
  { id: "shift-tab", label: "⇧Tab", aria: "Shift-Tab", send: "\x1b[Z" },
  { id: "ctrl", label: "Ctrl", action: "ctrl" },
  { id: "alt", label: "Alt", action: "alt" },
  { id: "up", label: "↑", aria: "Up", action: "up" },
  { id: "down", label: "↓", aria: "Down", action: "down" },
  { id: "left", label: "←", aria: "Left", action: "left" },
  { id: "right", label: "→", aria: "Right", action: "right" },
  { id: "ctrl-c", label: "^C", aria: "Ctrl-C", send: "\x03" },
  { id: "enter", label: "⏎", aria: "Enter", send: "\r" },
  { id: "pgup", label: "PgUp", aria: "Page Up", send: "\x1b[5~" },
  { id: "pgdn", label: "PgDn", aria: "Page Down", send: "\x1b[6~" },
  { id: "home", label: "Home", action: "home" },
  { id: "end", label: "End", action: "end" },
  { id: "slash", label: "/", send: "/" },
  { id: "pipe", label: "|", send: "|" },
  { id: "tilde", label: "~", send: "~" },
  { id: "dash", label: "-", send: "-" },
];

export const DEFAULT_ORDER: KeyId[] = KEYS.map((k) => k.id);
const byId = new Map(KEYS.map((k) => [k.id, k]));
export const keysFor = (order: KeyId[]) => order.flatMap((id) => byId.get(id) ?? []);

/** The bar's keys as the user arranged them, stored on the server so every device shows the same bar. */
export const keybarPrefs = {
  get: () => request<{ keys: KeyId[] | null }>("GET", "/api/ui/keybar").then((r) => r.keys ?? DEFAULT_ORDER),
  save: (keys: KeyId[]) => request<{ keys: KeyId[] }>("PUT", "/api/ui/keybar", { keys }).then((r) => r.keys),
};
