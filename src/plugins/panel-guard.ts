import { Elysia } from "elysia";
import { AppError } from "../errors";
import type { PluginEntry } from "./registry";

/** The slice of the registry a guard reads: whether a plugin exists and is enabled, at request time. */
export interface PanelLookup {
  entry(name: string): PluginEntry | undefined;
}

/** Whether the panel `name` is known and enabled now. */
export const panelEnabled = (registry: PanelLookup, name: string) => registry.entry(name)?.enabled === true;

/**
 * Routes registered after this answer 404 while the panel `name` is disabled (or unknown), as if
 * they did not exist; the UI hides a disabled panel from GET /api/providers?kind=panel.
 * Checked on every request, so enabling or disabling applies at once. WebSocket upgrades too.
 */
export const panelGuard = (registry: PanelLookup, name: string) =>
  new Elysia({ name: "panel-guard", seed: name }).onBeforeHandle({ as: "scoped" }, () => {
    if (!panelEnabled(registry, name)) throw new AppError("not_found", `the ${name} panel is disabled`);
  });
