import { Elysia } from "elysia";
import { notFound } from "../errors";
import type { PluginRegistry } from "./registry";

/**
 * Mount before a panel's routes: while the panel plugin is disabled (or its manifest is gone) they answer
 * 404, before authentication and body validation, as if they did not exist.
 */
export const panelGuard = (registry: PluginRegistry, panel: string) =>
  new Elysia({ name: `panel-guard:${panel}` }).derive({ as: "scoped" }, () => {
    const entry = registry.entry(panel);
    if (entry?.manifest.kind !== "panel" || !entry.enabled) throw notFound(`the ${panel} panel`);
    return {};
  });
