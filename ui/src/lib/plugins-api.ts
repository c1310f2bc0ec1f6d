import { createResource } from "solid-js";
import { request } from "./api";

/** One field of a manifest's configSchema (src/plugins/manifest.ts ConfigField, as the API sends it). */
export interface PluginField {
  key: string;
  label: string;
  type: "string" | "boolean" | "select" | "secret";
  description?: string;
  placeholder?: string;
  default?: string | boolean;
  options?: string[];
  group?: string;
  dependsOn?: string;
  dependsVal?: string | boolean;
}

export type PluginValue = string | boolean | null;

export interface PluginInfo {
  name: string;
  enabled: boolean;
  /** null for a panel; an agent's CLI found on this host or not. */
  installed: boolean | null;
  source: string;
  provider: {
    kind: "agent" | "panel";
    displayName?: string;
    description?: string;
    icon?: string;
    required?: boolean;
    configSchema?: PluginField[];
  };
  /** Secrets as "__set__" (stored) or "" (not set). */
  config: Record<string, PluginValue>;
}

export interface PluginLoadError {
  file: string;
  issues: { path: string; message: string }[];
}

/** How the API shows a stored secret; sending it (or "") back keeps the secret. */
export const SECRET_SET = "__set__";

const enc = encodeURIComponent;

export const pluginsApi = {
  list: () => request<PluginInfo[]>("GET", "/api/providers"),
  errors: () => request<PluginLoadError[]>("GET", "/api/plugins/errors"),
  toggle: (name: string, enabled: boolean) =>
    request<{ name: string; enabled: boolean }>("PATCH", `/api/providers/${enc(name)}/toggle`, { enabled }),
  saveConfig: (name: string, values: Record<string, PluginValue>) =>
    request<{ values: Record<string, PluginValue> }>("PUT", `/api/providers/${enc(name)}/config`, { values }),
};

// Which panel plugins are on, shared by every page that hides a disabled panel's tab or entry.
const [panelStates, { mutate }] = createResource(() =>
  request<{ name: string; enabled: boolean }[]>("GET", "/api/providers?kind=panel")
    .then((list) => new Map(list.map((p) => [p.name, p.enabled])))
    .catch(() => new Map<string, boolean>()),
);

/** Whether a panel plugin is on (so while the list loads, or when it cannot be read). */
export const panelOn = (name: string) => panelStates()?.get(name) !== false;

/** Called after a toggle: tabs and menus hide or show the panel at once. */
export const setPanelOn = (name: string, on: boolean) => mutate((m) => new Map(m ?? []).set(name, on));

/** Where a plugin's settings are: Settings → Plugins, opened at that plugin. */
export const pluginSettingsHref = (name: string) => `/settings/plugins#${name}`;
