import type { SessionView } from "../sessions/model";

export const isLive = (s: SessionView) => s.status !== "exited";

/** Sessions as /status numbers them: live ones, oldest first. */
export const numbered = (all: SessionView[]) =>
  all.filter(isLive).sort((a, b) => a.createdAt.localeCompare(b.createdAt));

/**
 * Resolves a session reference the way the original did: list index (1-based, as this chat last saw
 * /status), exact name (case-insensitive), session type, id prefix (≥ 4 characters), full id.
 */
export function resolveRef(ref: string, all: SessionView[], lastListed: string[] | undefined): SessionView | null {
  const r = ref.trim();
  if (!r) return null;
  const live = numbered(all);
  if (/^\d{1,3}$/.test(r)) {
    const index = Number(r) - 1;
    const id = lastListed ? lastListed[index] : live[index]?.id;
    const hit = id ? all.find((s) => s.id === id) : undefined;
    if (hit) return hit;
  }
  const lower = r.toLowerCase();
  const byName = live.find((s) => s.name.toLowerCase() === lower) ?? all.find((s) => s.name.toLowerCase() === lower);
  if (byName) return byName;
  const byType = live.find((s) => s.sessionType.toLowerCase() === lower);
  if (byType) return byType;
  if (r.length >= 4) {
    const byPrefix = live.filter((s) => s.id.startsWith(lower));
    if (byPrefix.length === 1) return byPrefix[0] ?? null;
    const anyPrefix = all.filter((s) => s.id.startsWith(lower));
    if (anyPrefix.length === 1) return anyPrefix[0] ?? null;
  }
  return all.find((s) => s.id === r) ?? null;
}
