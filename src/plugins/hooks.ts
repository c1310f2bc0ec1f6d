import { HOOK_TYPES, type HookBus, type HookEvent } from "../hooks/bus";
import { log } from "../log";
import type { PluginRegistry } from "./registry";

// Output bytes travel as base64 in a hook's JSON body.
const toJson = (event: HookEvent & { plugin: string }) =>
  JSON.stringify(event, (_k, value) => (value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value));

/**
 * Delivers hook events to the HTTP callback each enabled plugin's manifest declares (`hooks.url`,
 * `hooks.events`), with its timeout. Manifests added or changed on disk, and plugins enabled or
 * disabled, take effect at once. Only hooks some plugin wants are listened to: onOutput fires for
 * every PTY read, and the bus builds no event when nobody listens.
 */
export function forwardHooksToPlugins(bus: HookBus, registry: PluginRegistry): () => void {
  let offs: (() => void)[] = [];
  const subscribe = () => {
    for (const off of offs) off();
    const withHooks = registry
      .list()
      .flatMap((e) => (e.enabled && e.manifest.hooks ? [{ plugin: e.manifest.name, hooks: e.manifest.hooks }] : []));
    offs = HOOK_TYPES.flatMap((type) => {
      const wanting = withHooks.filter((w) => w.hooks.events.includes(type));
      if (!wanting.length) return [];
      return [
        bus.on(type, (event) => {
          for (const { plugin, hooks } of wanting) {
            fetch(hooks.url, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: toJson({ ...event, plugin }),
              signal: AbortSignal.timeout(hooks.timeoutMs ?? 5000),
            }).catch((error) => log.warn("plugin hook delivery failed", { plugin, type, error }));
          }
        }),
      ];
    });
  };
  subscribe();
  const offChange = registry.onChange(subscribe);
  return () => {
    offChange();
    for (const off of offs) off();
  };
}

/** GET /api/hooks: which plugin listens to which hooks. */
export function hookSubscriptions(registry: PluginRegistry): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of registry.list()) if (e.enabled && e.manifest.hooks) out[e.manifest.name] = e.manifest.hooks.events;
  return out;
}
