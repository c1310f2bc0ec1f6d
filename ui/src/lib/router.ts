import { createSignal } from "solid-js";

const [path, setPath] = createSignal(location.pathname);

export { path };

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (to === location.pathname + location.search + location.hash) return;
  if (opts.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  setPath(location.pathname);
  window.scrollTo(0, 0);
}

window.addEventListener("popstate", () => setPath(location.pathname));

/** Plain left clicks on same-origin <a href="/…"> links navigate without reloading. */
document.addEventListener("click", (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element).closest?.("a[href]") as HTMLAnchorElement | null;
  if (!a || a.target || a.origin !== location.origin || a.hasAttribute("download")) return;
  e.preventDefault();
  navigate(a.pathname + a.search + a.hash);
});

export function match(pattern: string, current: string): Record<string, string> | null {
  const p = pattern.split("/");
  const c = current.split("/");
  if (p.length !== c.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const seg = p[i] ?? "";
    const val = c[i] ?? "";
    if (seg.startsWith(":")) params[seg.slice(1)] = decodeURIComponent(val);
    else if (seg !== val) return null;
  }
  return params;
}
