import type { HookBus, HookEvent, HookType } from "../hooks/bus";
import { log } from "../log";
import type { PluginRegistry } from "./registry";

export const HOOK_TYPES = ["onSessionStart", "onOutput", "onIdle", "onSessionStop", "onPrompt", "onPromptCleared"] as const satisfies readonly HookType[];

// Output bytes travel as base64 in a hook's JSON body.
const toJson = (event: HookEvent & { plugin: string }) =>
  JSON.stringify(event, (_k, value) => (value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value));

/**
 * Delivers hook events to the HTTP callback each enabled plugin's manifest declares (`hooks.url`,
 * `hooks.events`), with its timeout. Manifests added or changed on disk take effect at once.
 */
export function forwardHooksToPlugins(bus: HookBus, registry: PluginRegistry): () => void {
  const offs = HOOK_TYPES.map((type) =>
    bus.on(type, (event) => {
      for (const e of registry.list()) {
        const hooks = e.manifest.hooks;
        if (!e.enabled || !hooks?.events.includes(type)) continue;
        fetch(hooks.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: toJson({ ...event, plugin: e.manifest.name }),
          signal: AbortSignal.timeout(hooks.timeoutMs ?? 5000),
        }).catch((error) => log.warn("plugin hook delivery failed", { plugin: e.manifest.name, type, error }));
      }
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}

/** GET /api/hooks: which plugin listens to which hooks. */
export function hookSubscriptions(registry: PluginRegistry): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of registry.list()) if (e.enabled && e.manifest.hooks) out[e.manifest.name] = e.manifest.hooks.events;
  return out;
}
