import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { log } from "../log";

/**
 * Running from a checkout (`bun run start`), the app is served straight from ui/dist and built
 * when it is missing or older than its sources; the compiled binary embeds it instead.
 */
export interface SourceUi {
  root: string;
  dist: string;
}

export function sourceUi(root = join(import.meta.dir, "..", "..")): SourceUi | undefined {
  if (import.meta.dir.startsWith("/$bunfs") || !existsSync(join(root, "ui", "src"))) return undefined;
  return { root, dist: join(root, "ui", "dist") };
}

const newest = (path: string): number => {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
};

const builtAt = (ui: SourceUi) => {
  const index = join(ui.dist, "index.html");
  return existsSync(index) ? statSync(index).mtimeMs : 0;
};

/** Whether ui/dist is missing or older than anything in ui/src, ui/public, ui/index.html. */
export function uiStale(ui: SourceUi): boolean {
  const built = builtAt(ui);
  if (!built) return true;
  const sources = ["src", "public", "index.html", "vite.config.ts"].map((p) => newest(join(ui.root, "ui", p)));
  return Math.max(...sources) > built;
}

let building: Promise<boolean> | undefined;

/** Whether a build started by this process is under way. */
export const uiBuilding = () => building !== undefined;

/** Builds the app in a child process (vite), once at a time; resolves whether it succeeded. */
export function buildSourceUi(ui: SourceUi): Promise<boolean> {
  building ??= (async () => {
    const started = Date.now();
    log.info("building the web app (it is missing or older than ui/src)…");
    const proc = Bun.spawn([process.execPath, join(ui.root, "scripts", "build-ui.ts")], {
      cwd: ui.root,
      stdio: ["ignore", "pipe", "pipe"],
      // A NODE_ENV other than production (bun test sets "test") would build an app without its service worker.
      env: { ...process.env, NODE_ENV: "production", NO_COLOR: "1" },
    });
    const [code, err] = await Promise.all([proc.exited, new Response(proc.stderr).text()]);
    if (code === 0) log.info("web app built", { ms: Date.now() - started });
    else
      log.warn("could not build the web app; serving a placeholder", {
        hint: "bun run build:ui",
        error: err.slice(-500),
      });
    return code === 0;
  })().finally(() => {
    building = undefined;
  });
  return building;
}

let scanned: { at: number; assets: Record<string, string> } | undefined;

/** URL path → file in ui/dist, rescanned whenever a new build lands (index.html changes). */
export function sourceAssets(ui: SourceUi): Record<string, string> | null {
  const at = builtAt(ui);
  if (!at || building) return scanned?.assets ?? null;
  if (scanned?.at === at) return scanned.assets;
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
  const assets: Record<string, string> = {};
  for (const file of walk(ui.dist)) assets[`/${relative(ui.dist, file).split("\\").join("/")}`] = file;
  scanned = { at, assets };
  return assets;
}
