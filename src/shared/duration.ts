/** "4 s", "1 min 23 s": how long a session or task ran, for notifications. */
export const formatDuration = (ms: number) =>
  ms < 60_000
    ? `${Math.max(0, Math.round(ms / 1000))} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

/** How long a session ran, when it has both a start and an exit time. */
export function ranFor(session: { startedAt?: string | null; exitedAt?: string | null } | null): number | null {
  if (!session?.startedAt || !session.exitedAt) return null;
  return Date.parse(session.exitedAt) - Date.parse(session.startedAt);
}
