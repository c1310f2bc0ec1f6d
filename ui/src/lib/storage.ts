import type { Session } from "./types";

function read<T>(key: string, fallback: T): T {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or disabled: the app still works without the cache
  }
}

export const recentCwds = () => read<string[]>("opendray.recentCwds", []);
export function rememberCwd(cwd: string) {
  write("opendray.recentCwds", [cwd, ...recentCwds().filter((c) => c !== cwd)].slice(0, 8));
}

export const lastAgent = () => read<string>("opendray.lastAgent", "terminal");
export const setLastAgent = (name: string) => write("opendray.lastAgent", name);

export const cachedSessions = () => read<Session[] | null>("opendray.sessions", null);
export const cacheSessions = (list: Session[]) => write("opendray.sessions", list);

export const fontSize = () => read<number>("opendray.fontSize", 13);
export const setFontSize = (size: number) => write("opendray.fontSize", size);
